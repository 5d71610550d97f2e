// The client demo in a real browser: Debian's chromium driven by playwright-core.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type createTestApp, sharedList, signup } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { onePixelPng } from '../helpers/multipart.ts';
import { PacedProvider } from '../helpers/scripted-provider.ts';
import { listeningApp } from '../helpers/socket.ts';

const artifacts = path.resolve(import.meta.dirname, '../../test-artifacts');

/** The app listening and a chromium, for the tests of one describe block. */
function browserSuite(...args: Parameters<typeof createTestApp>) {
  const suite = listeningApp(...args) as ReturnType<typeof listeningApp> & { browser: Browser };
  beforeAll(async () => {
    suite.browser = await launchChromium();
  }, 60_000);
  afterAll(() => suite.browser?.close());
  return suite;
}

const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

async function logIn(page: Page, url: string, email: string, password: string) {
  await page.goto(url);
  await byTestId(page, 'auth-email').fill(email);
  await byTestId(page, 'auth-password').fill(password);
  await byTestId(page, 'auth-submit').click();
  await expect.poll(() => byTestId(page, 'conn-status').textContent()).toBe('connected');
}

describe('client demo in chromium', () => {
  const suite = browserSuite({ ASSISTANT_STREAM_DELAY_MS: '10' });

  it('signs up, chats with the offline assistant, sees tasks live in two contexts, survives a reload', async () => {
    const { app, browser, url } = suite;
    const email = `browser${Date.now()}@example.com`;
    const first = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
    // The page lives within its Content-Security-Policy: the browser reports no violation.
    const violations: string[] = [];
    first.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(message.text());
    });
    await first.goto(url);
    await expect.poll(() => byTestId(first, 'auth-name').isVisible()).toBe(false);
    await byTestId(first, 'auth-toggle').click();
    await byTestId(first, 'auth-name').fill('Ada');
    await byTestId(first, 'auth-email').fill('not-an-email');
    await byTestId(first, 'auth-password').fill('short');
    await byTestId(first, 'auth-submit').click();
    await expect.poll(() => first.locator('#auth-password-error').textContent()).toMatch(/8 characters/);
    await byTestId(first, 'auth-email').fill(email);
    await byTestId(first, 'auth-password').fill('correct horse 9');
    await byTestId(first, 'auth-submit').click();
    await expect.poll(() => byTestId(first, 'conn-status').textContent()).toBe('connected');

    await byTestId(first, 'chat-input').fill('Add a task to buy oat milk tomorrow');
    await byTestId(first, 'chat-input').press('Enter');
    await expect.poll(() => byTestId(first, 'tool-card').first().textContent()).toContain('add_task');
    await expect.poll(() => byTestId(first, 'task-item').first().textContent()).toContain('Buy oat milk');
    await expect.poll(() => byTestId(first, 'message').last().textContent()).toContain('Added task #1 "Buy oat milk"');
    // The card says it in words; the raw call is folded away.
    await expect.poll(() => byTestId(first, 'tool-sentence').first().textContent()).toMatch(/^Added #1 Buy oat milk — due \w{3}, \w{3} \d{1,2}$/);
    expect(await first.locator('[data-testid="tool-card"] details').first().getAttribute('open')).toBeNull();
    expect(await byTestId(first, 'message').count()).toBe(2);
    expect(await byTestId(first, 'conversation-list').textContent()).toContain('Add a task to buy oat milk tomorrow');
    expect(violations).toEqual([]);

    // A second browser context of the same user follows along live.
    const second = await (await browser.newContext()).newPage();
    await logIn(second, url, email, 'correct horse 9');
    await expect.poll(() => byTestId(second, 'task-item').count()).toBe(1);

    await byTestId(first, 'task-checkbox').first().check();
    await expect.poll(() => byTestId(second, 'task-checkbox').first().isChecked()).toBe(true);

    await byTestId(first, 'chat-input').fill('remind me to call the plumber, it is urgent');
    await byTestId(first, 'chat-send').click();
    await expect.poll(() => byTestId(second, 'task-item').count()).toBe(2);
    await expect.poll(() => byTestId(second, 'conversation-list').textContent()).toContain('Add a task to buy oat milk tomorrow');
    await byTestId(first, 'chat-input').fill('show my tasks');
    await byTestId(first, 'chat-input').press('Enter');
    await expect.poll(() => byTestId(first, 'message').last().textContent()).toContain('#2 Call the plumber');

    // Renaming and deleting a conversation elsewhere (here: over REST) shows in the sidebar live.
    const session = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'correct horse 9' } })).json();
    const auth = { authorization: `Bearer ${session.accessToken}` };
    const [conversation] = (await app.inject({ method: 'GET', url: '/api/conversations', headers: auth })).json().conversations;
    await app.inject({ method: 'PATCH', url: `/api/conversations/${conversation.id}`, headers: auth, payload: { title: 'Groceries and plumbing' } });
    await expect.poll(() => byTestId(second, 'conversation-list').textContent()).toContain('Groceries and plumbing');
    await expect.poll(() => first.locator('#chat-title').textContent()).toBe('Groceries and plumbing');

    mkdirSync(artifacts, { recursive: true });
    await first.screenshot({ path: path.join(artifacts, 'client-demo.png'), fullPage: true });
    await first.setViewportSize({ width: 390, height: 844 });
    await first.screenshot({ path: path.join(artifacts, 'client-demo-phone.png'), fullPage: true });
    await first.setViewportSize({ width: 1400, height: 860 });

    // The session survives a reload through the refresh token.
    await first.reload();
    await expect.poll(() => byTestId(first, 'conn-status').textContent()).toBe('connected');
    await expect.poll(() => byTestId(first, 'task-item').count()).toBe(2);
    await byTestId(first, 'conversation-list').getByRole('button', { name: 'Groceries and plumbing', exact: true }).click();
    await expect.poll(() => byTestId(first, 'message').count()).toBe(6);

    await app.inject({ method: 'DELETE', url: `/api/conversations/${conversation.id}`, headers: auth });
    await expect.poll(() => byTestId(second, 'conversation-list').textContent()).not.toContain('Groceries and plumbing');
    await expect.poll(() => byTestId(first, 'message').count()).toBe(0);
    expect(await first.locator('#chat-title').textContent()).toBe('New conversation');
  }, 60_000);
});

describe('client demo across a network drop', () => {
  const provider = new PacedProvider(['The ', 'quick ', 'brown ', 'fox ', 'jumps.']);
  const suite = browserSuite({}, { provider });

  it('stops a reply with the Stop button, keeping its partial text', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    const page = await (await browser.newContext()).newPage();
    await logIn(page, url, user.email, user.password);
    await byTestId(page, 'chat-input').fill('a long story please');
    await byTestId(page, 'chat-send').click();
    provider.release(1);
    await expect.poll(() => byTestId(page, 'message').last().textContent()).toContain('The');
    await byTestId(page, 'chat-stop').click();
    await expect.poll(() => byTestId(page, 'message').last().getAttribute('data-status')).toBe('stopped');
    expect(await byTestId(page, 'message').last().locator('.text').textContent()).toBe('The ');
    expect(await byTestId(page, 'chat-stop').isDisabled()).toBe(true);
  }, 60_000);

  it('shows reconnecting, then catches up on the reply that went on streaming, without doubled text', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    const page = await (await browser.newContext()).newPage();
    await logIn(page, url, user.email, user.password);
    const byId = (id: string) => byTestId(page, id);
    await byId('chat-input').fill('tell me something');
    await byId('chat-input').press('Enter');
    provider.release(2);
    await expect.poll(() => byId('message').last().textContent()).toContain('The quick');
    expect(await byId('chat-stop').isEnabled()).toBe(true);

    // Drop every connection (as a network failure would); the reply goes on meanwhile.
    for (const socket of app.io.of('/').sockets.values()) socket.conn.close();
    await expect.poll(() => byId('conn-status').textContent(), { interval: 20 }).toBe('reconnecting…');
    provider.release(3);
    await expect.poll(() => byId('conn-status').textContent()).toBe('connected');
    await expect.poll(() => byId('message').last().getAttribute('data-status')).toBe('complete');
    expect(await byId('message').last().locator('.text').textContent()).toBe('The quick brown fox jumps.');
    expect(await byId('message').count()).toBe(2);
  }, 60_000);
});

describe('client demo with short-lived access tokens', () => {
  const suite = browserSuite({ ACCESS_TOKEN_TTL: '2s', ASSISTANT_STREAM_DELAY_MS: '0' });

  it('refreshes its token and reconnects when the server ends the socket at expiry', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    const page = await (await browser.newContext()).newPage();
    await logIn(page, url, user.email, user.password);
    await page.waitForTimeout(3_000);
    await expect.poll(() => byTestId(page, 'conn-status').textContent()).toBe('connected');
    await byTestId(page, 'chat-input').fill('add check the token refresh');
    await byTestId(page, 'chat-input').press('Enter');
    await expect.poll(() => byTestId(page, 'task-item').first().textContent()).toContain('Check the token refresh');
  }, 60_000);
});

describe('client demo: connecting an MCP client', () => {
  const suite = browserSuite({ ASSISTANT_STREAM_DELAY_MS: '0' });

  it('makes a token an MCP client uses with nothing but the URL shown, the task list moving live, and revokes it', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    const page = await (await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] })).newPage();
    await logIn(page, url, user.email, user.password);
    await page.locator('[data-testid="tokens-panel"] summary').click();
    await byTestId(page, 'token-name').fill('Claude Desktop');
    await byTestId(page, 'token-password').fill(user.password);
    await byTestId(page, 'token-create').click();
    await expect.poll(() => byTestId(page, 'token-secret').inputValue()).toMatch(/^tsk_/);
    const secret = await byTestId(page, 'token-secret').inputValue();
    const mcpUrl = await byTestId(page, 'mcp-url').inputValue();
    expect(mcpUrl).toBe(`${url}/mcp`);
    await expect.poll(() => byTestId(page, 'token-item').textContent()).toContain('Claude Desktop');

    // An MCP client as its user would set it up: the URL and the token, nothing else.
    const client = new Client({ name: 'desktop', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${secret}` } } }));
    await client.callTool({ name: 'add_task', arguments: { title: 'Water the plants' } });
    await expect.poll(() => byTestId(page, 'task-item').first().textContent()).toContain('Water the plants');
    await client.callTool({ name: 'complete_task', arguments: { task_number: 1 } });
    await expect.poll(() => page.locator('[data-testid="task-item"] input[type="checkbox"]').first().isChecked()).toBe(true);

    page.once('dialog', (dialog) => void dialog.accept());
    await byTestId(page, 'token-revoke').click();
    await expect.poll(() => byTestId(page, 'token-item').count()).toBe(0);
    await expect(client.callTool({ name: 'list_tasks', arguments: {} })).rejects.toThrow(/401|Unauthorized/i);
  }, 60_000);
});

describe('client demo: the user time zone', () => {
  const suite = browserSuite({ ASSISTANT_STREAM_DELAY_MS: '0' });

  it('gives the account the browser zone and shows due dates in it, calendar dates unshifted', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    const authorization = `Bearer ${user.accessToken}`;
    for (const [title, due_date] of [
      ['instant', '2030-05-02T00:00:00Z'],
      ['calendar', '2030-05-01'],
    ])
      await app.inject({ method: 'POST', url: '/api/tasks', headers: { authorization }, payload: { title, due_date } });
    const page = await (await browser.newContext({ timezoneId: 'America/Los_Angeles', locale: 'en-US' })).newPage();
    await logIn(page, url, user.email, user.password);
    await expect
      .poll(async () => (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization } })).json().user.timezone)
      .toBe('America/Los_Angeles');
    await expect
      .poll(() => byTestId(page, 'task-item').allTextContents())
      .toEqual([
        expect.stringMatching(/^instant.*due May 1, 5:00\sPMDetailsHistoryDelete$/),
        expect.stringMatching(/^calendar.*due May 1DetailsHistoryDelete$/),
      ]);
  }, 60_000);
});

describe('client demo: search, edit, regenerate, approval, downloads', () => {
  const suite = browserSuite({ ASSISTANT_STREAM_DELAY_MS: '0' });

  it('finds a conversation by a word, edits and regenerates, asks before a delete, and downloads', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await logIn(page, url, user.email, user.password);
    const say = async (text: string) => {
      await byTestId(page, 'chat-input').fill(text);
      await byTestId(page, 'chat-input').press('Enter');
    };
    await say('add water the geraniums');
    await expect.poll(() => byTestId(page, 'message').last().textContent()).toContain('Added task #1 "Water the geraniums"');
    page.once('dialog', (dialog) => void dialog.accept('add water the orchids'));
    await byTestId(page, 'message-edit').first().click();
    await expect.poll(() => byTestId(page, 'message').last().textContent()).toContain('Added task #2 "Water the orchids"');
    expect(await byTestId(page, 'message').count()).toBe(2);
    await byTestId(page, 'message-regenerate').click();
    await expect.poll(() => byTestId(page, 'message').last().textContent()).toContain('Added task #3 "Water the orchids"');
    expect(await byTestId(page, 'message').count()).toBe(2);

    // Search from a new chat finds the conversation by a stemmed word and opens it at the hit.
    await page.locator('#new-conversation').click();
    await byTestId(page, 'search-input').fill('orchid');
    await byTestId(page, 'search-input').press('Enter');
    await expect.poll(() => byTestId(page, 'search-result').count()).toBeGreaterThan(0);
    expect(await byTestId(page, 'search-result').first().locator('mark').first().textContent()).toMatch(/orchid/i);
    await byTestId(page, 'search-result').first().click();
    await expect.poll(() => byTestId(page, 'message').count()).toBe(2);

    // With approvals on, a delete waits for the card's answer.
    await page.locator('[data-testid="settings-panel"] summary').click();
    await byTestId(page, 'setting-confirm').check();
    await expect.poll(async () => (await app.inject({ method: 'GET', url: '/api/auth/me', headers: user.auth })).json().user.confirm_destructive).toBe(true);
    await say('delete task 1');
    await expect.poll(() => byTestId(page, 'approval-card').textContent()).toContain('Delete task #1 "Water the geraniums"?');
    await expect.poll(() => byTestId(page, 'task-item').count()).toBe(3);
    await byTestId(page, 'approval-approve').click();
    await expect.poll(() => byTestId(page, 'message').last().textContent()).toContain('Deleted task #1');
    expect(await byTestId(page, 'approval-card').count()).toBe(0);
    await expect.poll(() => byTestId(page, 'task-item').count()).toBe(2);

    const download = page.waitForEvent('download');
    await page.locator('[data-export="csv"]').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^tasks-\d{4}-\d{2}-\d{2}\.csv$/);
  }, 60_000);
});

describe('client demo: a shared list, two people', () => {
  const suite = browserSuite({ ASSISTANT_STREAM_DELAY_MS: '0' });

  it('shares a list by email, shows each one’s changes live to the other, and takes the list away at removal', async () => {
    const { app, browser, url } = suite;
    const [olga, sam] = [await signup(app, 'Olga'), await signup(app, 'Sam')];
    const [first, second] = [await (await browser.newContext()).newPage(), await (await browser.newContext()).newPage()];
    await logIn(first, url, olga.email, olga.password);
    await logIn(second, url, sam.email, sam.password);

    // Olga makes a list and invites Sam; Sam's page shows the invitation at once.
    first.once('dialog', (dialog) => void dialog.accept('Family'));
    await byTestId(first, 'list-new').click();
    await expect.poll(() => byTestId(first, 'list-switcher').locator('option:checked').textContent()).toMatch(/^Family/);
    await first.locator('[data-testid="share-panel"] summary').click();
    await byTestId(first, 'invite-email').fill(sam.email);
    await byTestId(first, 'invite-role').selectOption('editor');
    await byTestId(first, 'invite-send').click();
    await expect.poll(() => byTestId(second, 'invitation').textContent()).toContain('Olga invites you to “Family” as editor');
    await byTestId(second, 'invitation-accept').click();
    await expect.poll(() => byTestId(first, 'member').count()).toBe(2);

    // Each sees the other's changes on the shared list, live, with who made them.
    const family = async (page: Page) => page.locator('[data-testid="list-switcher"] option', { hasText: 'Family' }).getAttribute('value');
    await byTestId(second, 'list-switcher').selectOption((await family(second))!);
    await first.locator('#task-title').fill('Buy bread');
    await first.locator('#task-title').press('Enter');
    await expect.poll(() => byTestId(second, 'task-item').first().textContent()).toContain('Buy bread');
    await expect.poll(() => byTestId(second, 'task-by').first().textContent()).toBe('by Olga');
    await byTestId(second, 'task-checkbox').first().check();
    await expect.poll(() => byTestId(first, 'task-item').first().getAttribute('data-completed')).toBe('true');
    await expect.poll(() => byTestId(first, 'task-by').first().textContent()).toBe('by Sam');

    // Olga removes Sam: the list and its tasks leave Sam's screen.
    await first.locator('[data-testid="member"]', { hasText: 'Sam' }).locator('[data-testid="member-remove"]').click();
    await expect.poll(() => byTestId(second, 'list-switcher').locator('option', { hasText: 'Family' }).count()).toBe(0);
    await expect.poll(() => second.locator('[data-testid="task-item"]', { hasText: 'Buy bread' }).count()).toBe(0);
  }, 60_000);

  it('opens a task’s comments and files: uploads with progress, shows a thumbnail, downloads, and sees the other’s comment live', async () => {
    const { app, browser, url } = suite;
    const [olga, sam] = [await signup(app, 'Olga'), await signup(app, 'Sam')];
    const list = await sharedList(app, olga, [sam, 'editor']);
    const task = (await app.inject({ method: 'POST', url: '/api/tasks', headers: olga.auth, payload: { title: 'Fix the sink', list_id: list.id } })).json()
      .task;
    const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await logIn(page, url, olga.email, olga.password);
    await byTestId(page, 'list-switcher').selectOption(list.id);
    await byTestId(page, 'task-details').first().click();
    await expect.poll(() => page.locator('#detail-title').textContent()).toBe('#1 Fix the sink');

    await byTestId(page, 'attachment-input').setInputFiles({ name: 'sink.png', mimeType: 'image/png', buffer: onePixelPng });
    await expect.poll(() => byTestId(page, 'attachment-item').textContent()).toContain('sink.png');
    await expect.poll(() => byTestId(page, 'attachment-thumbnail').evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(1);
    expect(await byTestId(page, 'upload-progress').isHidden()).toBe(true);
    const download = page.waitForEvent('download');
    await byTestId(page, 'attachment-download').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('sink.png');
    expect((await readFile(await saved.path())).equals(onePixelPng)).toBe(true);

    // Olga comments; Sam's comment (made elsewhere) arrives in her open drawer by itself.
    await byTestId(page, 'comment-input').fill('Plumber comes at 3');
    await byTestId(page, 'comment-send').click();
    await expect.poll(() => byTestId(page, 'comment-item').allTextContents()).toEqual([expect.stringContaining('Plumber comes at 3')]);
    await app.inject({ method: 'POST', url: `/api/tasks/${task.id}/comments`, headers: sam.auth, payload: { body: '<b>I will be home</b>' } });
    await expect.poll(() => byTestId(page, 'comment-item').count()).toBe(2);
    const samsComment = byTestId(page, 'comment-item').last();
    expect(await samsComment.locator('strong').textContent()).toBe('Sam');
    // Plain text, never HTML.
    expect(await samsComment.locator('.comment-body').textContent()).toBe('<b>I will be home</b>');
    expect(await samsComment.locator('b').count()).toBe(0);
  }, 60_000);
});

describe('client demo: order, history and undo', () => {
  const suite = browserSuite({ ASSISTANT_STREAM_DELAY_MS: '0' });

  it('reorders by keyboard and by drag, offers Undo after a change, and shows a task’s history', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    const list = (await app.inject({ method: 'POST', url: '/api/lists', headers: user.auth, payload: { name: 'Chores' } })).json().list;
    for (const title of ['alpha', 'beta', 'gamma'])
      await app.inject({ method: 'POST', url: '/api/tasks', headers: user.auth, payload: { title, list_id: list.id } });
    const page = await (await browser.newContext()).newPage();
    await logIn(page, url, user.email, user.password);
    await byTestId(page, 'list-switcher').selectOption(list.id);
    const titles = () => page.locator('[data-testid="task-item"] .title').allTextContents();
    await expect.poll(titles).toEqual(['alpha', 'beta', 'gamma']);
    // A second tab follows every move live.
    const other = await (await browser.newContext()).newPage();
    await logIn(other, url, user.email, user.password);
    await byTestId(other, 'list-switcher').selectOption(list.id);
    const otherTitles = () => other.locator('[data-testid="task-item"] .title').allTextContents();

    // Keyboard: Alt+↑ twice takes gamma to the top, the focus staying on it.
    const gamma = page.locator('[data-testid="task-item"]', { hasText: 'gamma' });
    await gamma.focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(titles).toEqual(['alpha', 'gamma', 'beta']);
    await expect.poll(otherTitles).toEqual(['alpha', 'gamma', 'beta']);
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(titles).toEqual(['gamma', 'alpha', 'beta']);

    // Drag: beta onto the upper half of gamma goes before it.
    await page.locator('[data-testid="task-item"]', { hasText: 'beta' }).dragTo(gamma, { targetPosition: { x: 10, y: 2 } });
    await expect.poll(titles).toEqual(['beta', 'gamma', 'alpha']);
    await expect.poll(otherTitles).toEqual(['beta', 'gamma', 'alpha']);

    // Undo the last change (the drag) from the bar.
    await expect.poll(() => byTestId(page, 'undo-bar').textContent()).toContain('You moved “beta”');
    await byTestId(page, 'undo-button').click();
    await expect.poll(titles).toEqual(['gamma', 'alpha', 'beta']);

    await page.locator('[data-testid="task-item"]', { hasText: 'beta' }).getByTestId('task-history').click();
    await expect
      .poll(() => byTestId(page, 'history-entry').allTextContents())
      .toEqual([expect.stringMatching(/^You · moved \(undo\)/), expect.stringMatching(/^You · moved · .* · undone$/), expect.stringMatching(/^You · created/)]);
  }, 60_000);
});

describe('client demo: the day and its reminders', () => {
  const suite = browserSuite({ ASSISTANT_STREAM_DELAY_MS: '0' }, { reminderPollMs: 200 });

  it('shows Today with overdue tasks first in red, Upcoming, and a reminder toast that snoozes', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    const add = async (title: string, due_date?: string) =>
      (await app.inject({ method: 'POST', url: '/api/tasks', headers: user.auth, payload: { title, ...(due_date ? { due_date } : {}) } })).json().task;
    const now = Date.now();
    await add('Later today', new Date(now + 60 * 60_000).toISOString());
    await add('Long overdue', '2020-01-01');
    await add('Next month', new Date(now + 30 * 86_400_000).toISOString().slice(0, 10));
    await add('Someday');
    const page = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
    await logIn(page, url, user.email, user.password);
    const titles = () => page.locator('[data-testid="task-item"] .title').allTextContents();
    await byTestId(page, 'view-today').click();
    // Late in the UTC day, "later today" may already be tomorrow: the overdue task leads either way.
    await expect.poll(async () => (await titles())[0]).toBe('Long overdue');
    expect(await byTestId(page, 'task-item').first().getAttribute('data-overdue')).toBe('true');
    expect(await page.locator('.task-list li.overdue .title').evaluate((title) => getComputedStyle(title).color)).toBe('rgb(176, 0, 32)');
    await byTestId(page, 'view-upcoming').click();
    await expect.poll(titles).toContain('Next month');
    expect(await titles()).not.toContain('Someday');

    const task = await add('Call the bank');
    const reminder = (
      await app.inject({
        method: 'POST',
        url: `/api/tasks/${task.id}/reminders`,
        headers: user.auth,
        payload: { at: new Date(Date.now() + 1_000).toISOString() },
      })
    ).json().reminder;
    await expect.poll(() => byTestId(page, 'reminder-toast').textContent()).toContain('Reminder: Call the bank');
    await byTestId(page, 'reminder-snooze').click();
    await expect.poll(() => byTestId(page, 'reminder-toast').count()).toBe(0);
    const snoozed = (await app.inject({ method: 'GET', url: `/api/tasks/${task.id}`, headers: user.auth })).json().task.reminders[0];
    expect(snoozed).toMatchObject({ id: reminder.id, fired_at: null });
    expect(Date.parse(snoozed.fires_at) - Date.now()).toBeGreaterThan(9 * 60_000);
  }, 60_000);
});

describe('client demo: accessible, wide, narrow and dark', () => {
  const suite = browserSuite({ ASSISTANT_STREAM_DELAY_MS: '0' });

  it('has no serious or critical axe-core violation in any of them, and every control takes the keyboard', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    await app.inject({ method: 'POST', url: '/api/tasks', headers: user.auth, payload: { title: 'Overdue bill', due_date: '2020-01-01' } });
    mkdirSync(artifacts, { recursive: true });
    const looks = [
      ['wide', { viewport: { width: 1400, height: 860 } }],
      ['narrow', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
      ['dark', { viewport: { width: 1400, height: 860 }, colorScheme: 'dark' }],
    ] as const;
    for (const [index, [look, options]] of looks.entries()) {
      // The page's CSP allows no inline script: axe-core is injected past it, in this test only.
      const page = await (await browser.newContext({ ...options, bypassCSP: true })).newPage();
      await logIn(page, url, user.email, user.password);
      if (index === 0) {
        await byTestId(page, 'chat-input').fill('add buy oat milk tomorrow, high priority');
        await byTestId(page, 'chat-input').press('Enter');
      } else await page.locator('[data-testid="conversation-list"] button.open').first().click();
      await expect.poll(() => byTestId(page, 'tool-sentence').count()).toBeGreaterThan(0);
      await byTestId(page, 'view-today').click();
      await expect.poll(() => page.locator('.task-list li.overdue').count()).toBe(1);
      await page.addScriptTag({ path: path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const { violations } = await (
          window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }
        ).axe.run();
        return violations
          .filter((found) => found.impact === 'serious' || found.impact === 'critical')
          .map((found) => `${found.id}: ${found.nodes.map((node) => node.target.join(' ')).join(', ')}`);
      });
      expect(violations, look).toEqual([]);
      // Every control can take the keyboard: nothing clickable is kept out of the tab order.
      const unreachable = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, summary')]
          .filter((control) => control.offsetParent !== null && control.tabIndex < 0)
          .map((control) => control.outerHTML.slice(0, 80)),
      );
      expect(unreachable, look).toEqual([]);
      await page.screenshot({ path: path.join(artifacts, `client-demo-${look}.png`), fullPage: true });
    }
  }, 90_000);
});

describe('client demo: a page built with the AI SDK, on another origin', () => {
  const pageOrigin = { url: '' };
  const pageServer = createHttpServer();
  const suite = browserSuite({ ASSISTANT_STREAM_DELAY_MS: '5', CORS_ORIGINS: 'http://127.0.0.1:45873' });

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [path.resolve(import.meta.dirname, 'ai-sdk-page/page.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
    });
    const script = bundle.outputFiles[0]!.text;
    const html =
      '<!doctype html><html lang="en"><title>AI SDK page</title><form><input aria-label="Message"><button>Send</button></form><p id="reply"></p><script type="module" src="/page.js"></script></html>';
    pageServer.on('request', (request, response) => {
      const isScript = request.url?.startsWith('/page.js');
      response.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' }).end(isScript ? script : html);
    });
    await new Promise<void>((resolve) => pageServer.listen(45873, '127.0.0.1', resolve));
    pageOrigin.url = 'http://127.0.0.1:45873';
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => pageServer.close(() => resolve())));

  it('streams a turn into the page with DefaultChatTransport and readUIMessageStream, the task made on the server', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${pageOrigin.url}/?server=${encodeURIComponent(url)}&token=${user.accessToken}`);
    await page.locator('input').fill('add water the ferns tomorrow');
    await page.locator('button').click();
    await expect.poll(() => page.locator('#reply').getAttribute('data-done')).toBe('true');
    expect(await page.locator('#reply').textContent()).toMatch(/^\[add_task: output-available\] Added task #1 "Water the ferns" \(due /);
    expect((await app.inject({ method: 'GET', url: '/api/tasks', headers: user.auth })).json().tasks.map((task: { title: string }) => task.title)).toEqual([
      'Water the ferns',
    ]);
  }, 60_000);
});
