// A browser app on another origin (listed in CORS_ORIGINS), in a real Chromium: it can change and
// delete tasks, read the headers it needs (Retry-After, Content-Disposition, WWW-Authenticate) and
// read the answer of a successful /mcp call.
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signup } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { listen } from '../helpers/socket.ts';

describe('a page on another origin, in chromium', () => {
  let host: Server;
  let app: FastifyInstance;
  let api: string;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    // The host page's own server: a plain page, nothing of ours.
    host = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>host</title>'));
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
    // One failed authentication per address, then Retry-After: the last step of the test spends it.
    app = await createTestApp({ CORS_ORIGINS: origin, RATE_LIMITS: 'on', LIMIT_AUTH_FAILURES_IP: '1:0.01' });
    api = (await listen(app)).replace('127.0.0.1', 'localhost');
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(origin);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    host?.close();
  });

  it('changes and deletes tasks, reads the headers it needs and the answer of /mcp', async () => {
    const user = await signup(app);
    const task = (await call(app, user, 'POST', '/api/tasks', { title: 'from afar' })).body.task;
    const seen = await page.evaluate(
      async ({ api, token, number }) => {
        const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const patched = await fetch(`${api}/api/tasks/${number}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ title: 'changed from afar' }) });
        const put = await fetch(`${api}/api/tasks/${number}`, { method: 'PUT', headers: auth, body: JSON.stringify({ title: 'put from afar' }) });
        const exported = await fetch(`${api}/api/tasks/export?format=csv`, { headers: auth });
        const mcp = await fetch(`${api}/mcp`, {
          method: 'POST',
          headers: { ...auth, accept: 'application/json, text/event-stream' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_tasks', arguments: {} } }),
        });
        const mcpText = await mcp.text();
        const deleted = await fetch(`${api}/api/tasks/${number}`, { method: 'DELETE', headers: auth });
        const refused = await fetch(`${api}/mcp`, {
          method: 'POST',
          headers: { authorization: 'Bearer tsk_made_up', 'content-type': 'application/json' },
          body: '{}',
        });
        const limited = await fetch(`${api}/api/tasks`, { headers: { authorization: 'Bearer tsk_made_up' } });
        return {
          patched: [patched.status, (await patched.json()).task.title],
          put: put.status,
          disposition: exported.headers.get('content-disposition'),
          mcp: [mcp.status, mcpText.includes('put from afar')],
          deleted: deleted.status,
          authenticate: [refused.status, refused.headers.get('www-authenticate')],
          retryAfter: [limited.status, limited.headers.get('retry-after')],
        };
      },
      { api, token: user.accessToken, number: task.number },
    );
    expect(seen).toEqual({
      patched: [200, 'changed from afar'],
      put: 200,
      disposition: expect.stringMatching(/^attachment; filename="tasks-/),
      mcp: [200, true],
      deleted: 204,
      authenticate: [401, expect.stringMatching(/^Bearer error="invalid_token"/)],
      retryAfter: [429, expect.stringMatching(/^\d+$/)],
    });
  });
});
