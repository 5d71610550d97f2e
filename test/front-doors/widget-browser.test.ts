// The embeddable chat widget in chromium, on a page of another origin (CORS_ORIGINS lists it).
import { createServer as createHttpServer } from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signup } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { personalToken } from '../helpers/mcp.ts';
import { listeningApp } from '../helpers/socket.ts';

/** The host page's styles, aimed at everything: none of it may reach the widget. */
const hostStyles = `
  * { color: rgb(255, 0, 0) !important; font-family: serif !important; letter-spacing: 3px !important; }
  button { background: rgb(0, 255, 0) !important; }
  textarea, ol, li { display: none !important; }
  body { font-size: 30px; line-height: 3; }
`;

describe('chat widget on a page of another origin, in chromium', () => {
  const host = { url: 'http://127.0.0.1:45874', page: '' };
  const hostServer = createHttpServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(host.page);
  });
  const suite = listeningApp({ ASSISTANT_STREAM_DELAY_MS: '5', CORS_ORIGINS: host.url }) as ReturnType<typeof listeningApp> & { browser: Browser };
  beforeAll(async () => {
    await new Promise<void>((resolve) => hostServer.listen(45874, '127.0.0.1', resolve));
    suite.browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await suite.browser?.close();
    await new Promise<void>((resolve) => hostServer.close(() => resolve()));
  });

  /** The host page: its own styled elements, and every widget event it hears, kept in `window.heard`. */
  const hostPage = (body: string) => `<!doctype html><html lang="en"><head><title>A host page</title><style>${hostStyles}</style></head>
<body><main><h1>Our shop</h1><p id="host-text">Hello</p><div class="panel" id="host-panel">not the widget</div><header id="host-header">x</header></main>
<script>window.heard = []; for (const name of ['taskstream:task-created', 'taskstream:message', 'taskstream:auth-needed'])
  document.addEventListener(name, (event) => window.heard.push([name, event.detail.task ? event.detail.task.title : event.detail.message ? event.detail.message.role : event.detail.reason]));</script>
${body}</body></html>`;

  const inWidget = (page: Page, testid: string) => page.locator(`taskstream-chat [data-testid="${testid}"]`);
  const shadowFocus = (page: Page) =>
    page.evaluate(() => (document.querySelector('taskstream-chat')!.shadowRoot!.activeElement as HTMLElement | null)?.dataset.testid);

  it('opens from its bubble by keyboard, chats with a personal token, shows tasks live, and keeps styles apart both ways', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    const { secret } = await personalToken(app, user, 'our shop');
    host.page = hostPage(`<script src="${url}/widget.js" data-taskstream-bubble data-token="${secret}" data-accent="#0a7d4f"></script>`);
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(host.url);

    // The bubble opens with Enter, the message box takes the focus, Escape closes it and gives the focus back.
    const launcher = inWidget(page, 'widget-launcher');
    await expect.poll(() => inWidget(page, 'widget-status').textContent()).toBe('connected');
    expect(await inWidget(page, 'widget-panel').isVisible()).toBe(false);
    await launcher.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => inWidget(page, 'widget-panel').isVisible()).toBe(true);
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    expect(await shadowFocus(page)).toBe('widget-input');
    await page.keyboard.press('Escape');
    await expect.poll(() => inWidget(page, 'widget-panel').isVisible()).toBe(false);
    expect(await shadowFocus(page)).toBe('widget-launcher');
    await page.keyboard.press('Enter');

    // A turn: streamed, its tool call as a readable card, the task in the compact list.
    await inWidget(page, 'widget-input').fill('add buy oat milk');
    await inWidget(page, 'widget-input').press('Enter');
    await expect.poll(() => inWidget(page, 'message').last().textContent()).toContain('Added task #1 "Buy oat milk"');
    expect(await inWidget(page, 'tool-sentence').first().textContent()).toBe('Added #1 Buy oat milk');
    await expect.poll(() => inWidget(page, 'widget-task').allTextContents()).toEqual([' Buy oat milk']);
    // A task made elsewhere (REST) appears live.
    await call(app, user, 'POST', '/api/tasks', { title: 'Call the plumber' });
    await expect.poll(() => inWidget(page, 'widget-task').allTextContents()).toEqual([' Buy oat milk', ' Call the plumber']);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { heard: string[][] }).heard))
      .toEqual([
        ['taskstream:message', 'user'],
        ['taskstream:task-created', 'Buy oat milk'],
        ['taskstream:message', 'assistant'],
        ['taskstream:task-created', 'Call the plumber'],
      ]);

    // The page's styles stop at the shadow root, inherited ones included; the widget's stop there too.
    const looks = await page.evaluate(() => {
      const root = document.querySelector('taskstream-chat')!.shadowRoot!;
      const style = (node: Element | null) => getComputedStyle(node!);
      return {
        sendBackground: style(root.querySelector('[data-testid="widget-send"]')).backgroundColor,
        messageColor: style(root.querySelector('.message:not(.user) .text')).color,
        messageFont: style(root.querySelector('.message .text')).fontFamily,
        letterSpacing: style(root.querySelector('.message .text')).letterSpacing,
        inputDisplay: style(root.querySelector('textarea')).display,
        hostText: style(document.querySelector('#host-text')).color,
        hostPanelRadius: style(document.querySelector('#host-panel')).borderTopLeftRadius,
        hostHeaderDisplay: style(document.querySelector('#host-header')).display,
      };
    });
    expect(looks).toEqual({
      sendBackground: 'rgb(10, 125, 79)',
      messageColor: 'rgb(29, 35, 48)',
      messageFont: expect.stringMatching(/^system-ui/),
      letterSpacing: 'normal',
      inputDisplay: 'block',
      hostText: 'rgb(255, 0, 0)',
      hostPanelRadius: '0px',
      hostHeaderDisplay: 'block',
    });

    // Accessible: no serious or critical axe-core violation inside the widget, light and dark.
    await page.addScriptTag({ path: path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js') });
    const violations = () =>
      page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Element): Promise<{ violations: { id: string; impact: string }[] }> } }).axe;
        const { violations: found } = await axe.run(document.querySelector('taskstream-chat')!);
        return found.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id);
      });
    expect(await violations()).toEqual([]);
    await page.evaluate(() => document.querySelector('taskstream-chat')!.setAttribute('theme', 'dark'));
    expect(await inWidget(page, 'widget-panel').evaluate((panel) => getComputedStyle(panel).backgroundColor)).toBe('rgb(23, 26, 33)');
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('asks the host for a token when it has none that works, and resumes a conversation exactly after a drop', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    const { secret } = await personalToken(app, user);
    const first = await call(app, user, 'POST', '/api/chat', { message: 'add water the ferns' });
    const conversationId = first.body.conversation_id as string;
    host.page = hostPage(`<script src="${url}/widget.js"></script>
<taskstream-chat server="${url}" token="tsk_not-a-real-token" conversation="${conversationId}" theme="light"></taskstream-chat>
<script>document.addEventListener('taskstream:auth-needed', (event) => event.target.setAttribute('token', ${JSON.stringify(secret)}));</script>`);
    const page = await (await browser.newContext()).newPage();
    await page.goto(host.url);
    await expect.poll(() => inWidget(page, 'widget-status').textContent()).toBe('connected');
    await expect.poll(() => inWidget(page, 'message').count()).toBe(2);
    expect(await page.evaluate(() => (window as unknown as { heard: string[][] }).heard[0])).toEqual(['taskstream:auth-needed', 'expired']);

    // The server drops every socket; a turn made meanwhile (REST) is in the widget once it is back.
    app.io.disconnectSockets(true);
    await call(app, user, 'POST', '/api/chat', { message: 'add feed the cat', conversation_id: conversationId });
    await expect.poll(() => inWidget(page, 'message').count(), { timeout: 10_000 }).toBe(4);
    await expect.poll(() => inWidget(page, 'message').last().textContent()).toContain('Added task #2 "Feed the cat"');
    await expect.poll(() => inWidget(page, 'widget-task').allTextContents()).toEqual([' Water the ferns', ' Feed the cat']);
  }, 60_000);

  it('shows its own log-in without a token, and keeps the session on that origin', async () => {
    const { app, browser, url } = suite;
    const user = await signup(app);
    host.page = hostPage(`<script src="${url}/widget.js"></script><taskstream-chat server="${url}"></taskstream-chat>`);
    const page = await (await browser.newContext()).newPage();
    await page.goto(host.url);
    await inWidget(page, 'widget-email').fill(user.email);
    await inWidget(page, 'widget-password').fill('wrong password');
    await inWidget(page, 'widget-login').click();
    await expect.poll(() => page.locator('taskstream-chat .login .error').textContent()).toBe('Wrong email or password.');
    await inWidget(page, 'widget-password').fill(user.password);
    await inWidget(page, 'widget-login').click();
    await expect.poll(() => inWidget(page, 'widget-status').textContent()).toBe('connected');
    expect(await page.evaluate(() => (window as unknown as { heard: string[][] }).heard)).toEqual([['taskstream:auth-needed', 'missing']]);
    await page.reload();
    await expect.poll(() => inWidget(page, 'widget-status').textContent()).toBe('connected');
    expect(await inWidget(page, 'widget-email').isVisible()).toBe(false);
  }, 60_000);
});
