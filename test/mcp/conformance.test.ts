// The MCP conformance suite (@modelcontextprotocol/conformance), run offline against this server.
// Its client sends no credentials, so it talks to /mcp through a local proxy that adds a personal
// access token and forwards everything else as it came (the Host header included).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as forward, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signup } from '../helpers/app.ts';
import { listen } from '../helpers/socket.ts';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const baseline = path.join(import.meta.dirname, 'conformance-baseline.yml');

function authorizingProxy(target: URL, token: string): Promise<{ server: Server; url: string }> {
  const server = createServer((incoming, outgoing) => {
    const upstream = forward(
      {
        host: target.hostname,
        port: target.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, authorization: `Bearer ${token}` },
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://localhost:${(server.address() as { port: number }).port}` })),
  );
}

describe('MCP conformance', () => {
  let app: FastifyInstance;
  let proxy: Server;
  let proxyUrl: string;
  beforeAll(async () => {
    app = await createTestApp();
    const url = await listen(app);
    const user = await signup(app);
    const { secret } = (await call(app, user, 'POST', '/api/tokens', { name: 'conformance', password: user.password })).body;
    ({ server: proxy, url: proxyUrl } = await authorizingProxy(new URL(url), secret));
  });
  afterAll(async () => {
    proxy?.close();
    await app?.close();
  });

  it('passes every scenario that applies to a tools-only server (the rest are in the baseline)', async () => {
    const output = mkdtempSync(path.join(tmpdir(), 'taskstream-conformance-'));
    try {
      const child = spawn(process.execPath, [cli, 'server', '--url', `${proxyUrl}/mcp`, '--expected-failures', baseline, '-o', output], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      child.stdout.on('data', (chunk: Buffer) => (log += chunk));
      child.stderr.on('data', (chunk: Buffer) => (log += chunk));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code, log).toBe(0);
    } finally {
      rmSync(output, { recursive: true, force: true });
    }
  }, 180_000);
});
