// The client demo in a real browser: Debian's chromium driven by playwright-core.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signup } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { PacedProvider } from '../helpers/scripted-provider.ts';
import { listen } from '../helpers/socket.ts';

const artifacts = path.resolve(import.meta.dirname, '../../test-artifacts');

describe('client demo in chromium', () => {
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    app = await createTestApp({ ASSISTANT_STREAM_DELAY_MS: '10' });
    url = await listen(app);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app.close();
  });

  const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

  it('signs up, chats with the offline assistant, sees tasks live in two contexts, survives a reload', async () => {
    const email = `browser${Date.now()}@example.com`;
    const first = await (await browser.newContext({ viewport: { width: 1400, height: 860 } })).newPage();
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
    expect(await byTestId(first, 'message').count()).toBe(2);
    expect(await byTestId(first, 'conversation-list').textContent()).toContain('Add a task to buy oat milk tomorrow');

    // A second browser context of the same user follows along live.
    const second = await (await browser.newContext()).newPage();
    await second.goto(url);
    await byTestId(second, 'auth-email').fill(email);
    await byTestId(second, 'auth-password').fill('correct horse 9');
    await byTestId(second, 'auth-submit').click();
    await expect.poll(() => byTestId(second, 'task-item').count()).toBe(1);
    await expect.poll(() => byTestId(second, 'conn-status').textContent()).toBe('connected');

    await byTestId(first, 'task-checkbox').first().check();
    await expect.poll(() => byTestId(second, 'task-checkbox').first().isChecked()).toBe(true);

    await byTestId(first, 'chat-input').fill('remind me to call the plumber, it is urgent');
    await byTestId(first, 'chat-send').click();
    await expect.poll(() => byTestId(second, 'task-item').count()).toBe(2);
    await expect.poll(() => byTestId(second, 'conversation-list').textContent()).toContain('Add a task to buy oat milk tomorrow');
    await byTestId(first, 'chat-input').fill('show my tasks');
    await byTestId(first, 'chat-input').press('Enter');
    await expect.poll(() => byTestId(first, 'message').last().textContent()).toContain('#2 Call the plumber');

    mkdirSync(artifacts, { recursive: true });
    await first.screenshot({ path: path.join(artifacts, 'client-demo.png'), fullPage: true });
    await first.setViewportSize({ width: 390, height: 844 });
    await first.screenshot({ path: path.join(artifacts, 'client-demo-phone.png'), fullPage: true });
    await first.setViewportSize({ width: 1400, height: 860 });

    // The session survives a reload through the refresh token.
    await first.reload();
    await expect.poll(() => byTestId(first, 'conn-status').textContent()).toBe('connected');
    await expect.poll(() => byTestId(first, 'task-item').count()).toBe(2);
  }, 60_000);
});

describe('client demo across a network drop', () => {
  const provider = new PacedProvider(['The ', 'quick ', 'brown ', 'fox ', 'jumps.']);
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    app = await createTestApp({}, { provider });
    url = await listen(app);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app.close();
  });

  it('shows reconnecting, then catches up on the reply that went on streaming, without doubled text', async () => {
    const user = await signup(app);
    const page = await (await browser.newContext()).newPage();
    const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);
    await page.goto(url);
    await byTestId('auth-email').fill(user.email);
    await byTestId('auth-password').fill(user.password);
    await byTestId('auth-submit').click();
    await expect.poll(() => byTestId('conn-status').textContent()).toBe('connected');
    await byTestId('chat-input').fill('tell me something');
    await byTestId('chat-input').press('Enter');
    provider.release(2);
    await expect.poll(() => byTestId('message').last().textContent()).toContain('The quick');
    expect(await byTestId('chat-stop').isEnabled()).toBe(true);

    // Drop every connection (as a network failure would); the reply goes on meanwhile.
    for (const socket of app.io.of('/').sockets.values()) socket.conn.close();
    await expect.poll(() => byTestId('conn-status').textContent(), { interval: 20 }).toBe('reconnecting…');
    provider.release(3);
    await expect.poll(() => byTestId('conn-status').textContent()).toBe('connected');
    await expect.poll(() => byTestId('message').last().getAttribute('data-status')).toBe('complete');
    expect(await byTestId('message').last().locator('.text').textContent()).toBe('The quick brown fox jumps.');
    expect(await byTestId('message').count()).toBe(2);
  }, 60_000);
});
