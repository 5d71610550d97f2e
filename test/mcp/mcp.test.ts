// MCP at /mcp with the SDK's own client, and the personal access tokens MCP clients use.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { toolSpecs } from '../../src/assistant/tools/index.ts';
import { call, signup } from '../helpers/app.ts';
import { mcpClient, personalToken } from '../helpers/mcp.ts';
import { connect, listeningApp, roomAdapters, twoListeningApps, waitFor } from '../helpers/socket.ts';

const structured = (result: Awaited<ReturnType<Client['callTool']>>) => result.structuredContent as any;

describe('personal access tokens', () => {
  const suite = listeningApp();

  it('are shown once, kept hashed, work wherever an access token does, and die at once when revoked', async () => {
    const { app, url } = suite;
    const user = await signup(app);
    const { token, secret } = await personalToken(app, user);
    expect(secret).toMatch(/^tsk_[\w-]{40,}$/);
    expect(token).toEqual({ id: expect.any(String), name: 'laptop', created_at: expect.any(String), last_used_at: null, expires_at: null });
    const [row] = await app.orm.em.fork().execute(`select * from personal_access_tokens where id = ?`, [token.id]);
    expect(JSON.stringify(row)).not.toContain(secret.slice(4));
    const bearer = { ...user, auth: { authorization: `Bearer ${secret}` } };
    expect((await call(app, bearer, 'POST', '/api/tasks', { title: 'from a script' })).status).toBe(201);
    const listed = (await call(app, user, 'GET', '/api/tokens')).body.tokens;
    expect(listed).toEqual([{ ...token, last_used_at: expect.any(String) }]);
    // Used again within the minute: the use is not written again.
    expect((await call(app, bearer, 'GET', '/api/tasks')).status).toBe(200);
    expect((await call(app, user, 'GET', '/api/tokens')).body.tokens[0].last_used_at).toBe(listed[0].last_used_at);
    expect(JSON.stringify(listed)).not.toContain(secret);
    // Managing tokens needs a login.
    expect((await call(app, bearer, 'GET', '/api/tokens')).status).toBe(403);
    expect((await call(app, bearer, 'POST', '/api/tokens', { name: 'another' })).status).toBe(403);

    const socket = await connect(url, secret);
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const other = await signup(app);
    expect((await call(app, other, 'DELETE', `/api/tokens/${token.id}`)).status).toBe(404);
    expect((await call(app, user, 'DELETE', `/api/tokens/${token.id}`)).status).toBe(204);
    expect(await dropped).toBe('io server disconnect');
    expect((await call(app, bearer, 'GET', '/api/tasks')).status).toBe(401);
    await expect(connect(url, secret)).rejects.toThrow('unauthorized');
    expect((await call(app, user, 'GET', '/api/tokens')).body.tokens).toEqual([]);
  });

  it('validate their input and can expire', async () => {
    const { app } = suite;
    const user = await signup(app);
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'ok', expires_in_days: 0 }, { name: 'ok', expires_in_days: 366 }]) {
      expect((await call(app, user, 'POST', '/api/tokens', { password: user.password, ...body })).status).toBe(400);
    }
    const { token, secret } = (await call(app, user, 'POST', '/api/tokens', { name: 'short', expires_in_days: 1, password: user.password })).body;
    expect(Date.parse(token.expires_at) - Date.now()).toBeGreaterThan(86_000_000);
    await app.orm.em.fork().execute(`update personal_access_tokens set expires_at = now() - interval '1 second' where id = ?`, [token.id]);
    expect((await call(app, { ...user, auth: { authorization: `Bearer ${secret}` } }, 'GET', '/api/tasks')).status).toBe(401);
  });
});

describe('the MCP server', () => {
  const suite = listeningApp({ PUBLIC_URL: 'https://tasks.example.com/' });

  it("lists the assistant's tools with the same schemas and descriptions", async () => {
    const { app, url } = suite;
    const user = await signup(app);
    const client = await mcpClient(url, (await personalToken(app, user)).secret);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(toolSpecs.map((spec) => spec.name).sort());
    for (const spec of toolSpecs) {
      expect(tools.find((tool) => tool.name === spec.name)).toMatchObject({ description: spec.description, inputSchema: spec.parameters });
    }
    await client.close();
  });

  it("runs every tool for the token's user, as text and structuredContent, and the user's sockets see each change", async () => {
    const { app, url } = suite;
    const user = await signup(app);
    const socket = await connect(url, user.accessToken);
    const client = await mcpClient(url, (await personalToken(app, user)).secret);
    const created = waitFor(socket, 'task:created');
    const added = await client.callTool({ name: 'add_task', arguments: { title: 'Buy oat milk', priority: 'high', due_date: '2030-01-31' } });
    expect(structured(added)).toEqual({ task_number: 1, status: 'created', title: 'Buy oat milk' });
    expect(JSON.parse((added.content as { text: string }[])[0]!.text)).toEqual(structured(added));
    expect((await created).task).toMatchObject({ number: 1, title: 'Buy oat milk', priority: 'high' });
    await client.callTool({ name: 'add_task', arguments: { title: 'Call mom' } });

    expect(structured(await client.callTool({ name: 'list_tasks', arguments: { status: 'pending' } })).tasks.map((task: any) => task.title)).toEqual([
      'Buy oat milk',
      'Call mom',
    ]);
    const updated = waitFor(socket, 'task:updated');
    expect(structured(await client.callTool({ name: 'update_task', arguments: { task_number: 2, title: 'Call mom tonight' } }))).toEqual({
      task_number: 2,
      status: 'updated',
      title: 'Call mom tonight',
    });
    expect((await updated).task.title).toBe('Call mom tonight');
    expect(structured(await client.callTool({ name: 'complete_task', arguments: { task_number: 1 } }))).toEqual({
      task_number: 1,
      status: 'completed',
      title: 'Buy oat milk',
    });
    const deleted = waitFor(socket, 'task:deleted');
    expect(structured(await client.callTool({ name: 'delete_task', arguments: { task_number: 2 } }))).toEqual({
      task_number: 2,
      status: 'deleted',
      title: 'Call mom tonight',
    });
    expect((await deleted).number).toBe(2);
    const tasks = (await call(app, user, 'GET', '/api/tasks')).body.tasks;
    expect(tasks.map((task: any) => [task.number, task.status])).toEqual([[1, 'completed']]);
    socket.close();
    await client.close();
  });

  it('answers errors as isError results with the same codes', async () => {
    const { app, url } = suite;
    const user = await signup(app);
    const client = await mcpClient(url, user.accessToken);
    const missing = await client.callTool({ name: 'complete_task', arguments: { task_number: 99 } });
    expect(missing.isError).toBe(true);
    expect(structured(missing)).toEqual({ error: { code: 'NOT_FOUND', message: 'Task 99 not found' } });
    const invalid = await client.callTool({ name: 'add_task', arguments: { title: '' } });
    expect(invalid.isError).toBe(true);
    expect(structured(invalid).error.code).toBe('VALIDATION_ERROR');
    const unknown = await client.callTool({ name: 'drop_database', arguments: {} });
    expect(structured(unknown).error.code).toBe('NOT_FOUND');
    await client.close();
  });

  it('keeps users apart, whatever user id the arguments name', async () => {
    const { app, url } = suite;
    const [alice, bob] = [await signup(app), await signup(app)];
    const aliceClient = await mcpClient(url, (await personalToken(app, alice)).secret);
    const bobClient = await mcpClient(url, (await personalToken(app, bob)).secret);
    await aliceClient.callTool({ name: 'add_task', arguments: { title: 'Alice only' } });
    await bobClient.callTool({ name: 'add_task', arguments: { title: 'Bob sneaks in', user_id: alice.id } });
    expect(structured(await bobClient.callTool({ name: 'list_tasks', arguments: { user_id: alice.id } })).tasks.map((task: any) => task.title)).toEqual([
      'Bob sneaks in',
    ]);
    expect(structured(await bobClient.callTool({ name: 'delete_task', arguments: { task_number: 1, user_id: alice.id } })).task_number).toBe(1);
    expect((await call(app, alice, 'GET', '/api/tasks')).body.tasks.map((task: any) => task.title)).toEqual(['Alice only']);
    await aliceClient.close();
    await bobClient.close();
  });

  it('refuses a missing, bad or revoked token with 401 and where to learn more, and describes the resource', async () => {
    const { app, url } = suite;
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
    };
    const post = (headers: Record<string, string>) =>
      fetch(`${url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(initialize),
      });
    const user = await signup(app);
    const { token, secret } = await personalToken(app, user);
    expect((await post({ authorization: `Bearer ${secret}` })).status).toBe(200);
    await call(app, user, 'DELETE', `/api/tokens/${token.id}`);
    for (const headers of [{}, { authorization: 'Bearer tsk_nope' }, { authorization: `Bearer ${secret}` }] as Record<string, string>[]) {
      const res = await post(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(
        'Bearer error="invalid_token", resource_metadata="https://tasks.example.com/.well-known/oauth-protected-resource"',
      );
      expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000, data: { code: 'UNAUTHORIZED' } } });
    }
    // The configured public origin, whatever Host the request came through.
    const metadata = await (await fetch(`${url}/.well-known/oauth-protected-resource`, { headers: { host: 'evil.example' } })).json();
    expect(metadata).toMatchObject({ resource: 'https://tasks.example.com/mcp', bearer_methods_supported: ['header'] });
  });

  it('refuses requests through a foreign Host or from a foreign Origin (DNS rebinding)', async () => {
    const { app } = suite;
    const user = await signup(app);
    const raw = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/mcp',
        headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        payload: { jsonrpc: '2.0', id: 1, method: 'ping' },
      });
    expect((await raw({ host: 'attacker.example:3000' })).statusCode).toBe(403);
    expect((await raw({ host: '127.0.0.1:3000', origin: 'http://attacker.example' })).statusCode).toBe(403);
    expect((await raw({ host: 'localhost:3000', origin: 'http://localhost:3000' })).statusCode).not.toBe(403);
    const get = await app.inject({ method: 'GET', url: '/mcp', headers: { host: 'localhost:3000', authorization: `Bearer ${user.accessToken}` } });
    expect(get.statusCode).toBe(405);
  });
});

describe.each(roomAdapters)('MCP on two instances (%s adapter)', (adapter) => {
  // Ready once each instance has heard of the other: before that, an instance alone emits only to its own sockets.
  const suite = twoListeningApps({}, {}, adapter);

  it('answers on any instance, reaches sockets on the other, and a token revoked on one is refused on the other at once', async () => {
    const user = await signup(suite.a);
    const { token, secret } = await personalToken(suite.a, user);
    const socketA = await connect(suite.urlA, user.accessToken);
    const created = waitFor(socketA, 'task:created');
    const clientB = await mcpClient(suite.urlB, secret);
    await clientB.callTool({ name: 'add_task', arguments: { title: 'made through B' } });
    expect((await created).task.title).toBe('made through B');
    expect((await call(suite.a, user, 'DELETE', `/api/tokens/${token.id}`)).status).toBe(204);
    await expect(clientB.callTool({ name: 'list_tasks', arguments: {} })).rejects.toThrow(/401|Unauthorized/i);
    socketA.close();
  });
});
