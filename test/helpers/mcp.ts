// The MCP SDK's own client on /mcp, with the personal access token an MCP client uses.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { call, type TestUser } from './app.ts';

export async function mcpClient(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'taskstream-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

export async function personalToken(app: FastifyInstance, user: TestUser, name = 'laptop') {
  const res = await call(app, user, 'POST', '/api/tokens', { name, password: user.password });
  expect(res.status).toBe(201);
  return res.body as { token: { id: string; name: string; last_used_at: string | null }; secret: string };
}
