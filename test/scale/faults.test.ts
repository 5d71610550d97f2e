// Crashes and database outages, with real processes and a real PostgreSQL going away.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedDatabase } from '../../src/db/embedded.ts';
import { createTestApp } from '../helpers/app.ts';
import { testDatabaseUrl } from '../helpers/db.ts';
import { postgresServing } from '../helpers/postgres-processes.ts';
import { json, startServerProcess, stopServerProcess } from '../helpers/server-process.ts';
import { connect, listen, sendMessage, until, waitFor } from '../helpers/socket.ts';

describe('a crash in the middle of a reply', () => {
  it('keeps the user message and the text streamed up to about a second before, marked interrupted; the conversation works again', async () => {
    const env = { DATABASE_URL: await testDatabaseUrl('crash_test'), ASSISTANT_STREAM_DELAY_MS: '60' };
    let server = await startServerProcess(env);
    try {
      const signup = await json(`${server.url}/api/auth/signup`, {
        method: 'POST',
        body: JSON.stringify({ email: 'crash@example.com', password: 'long enough 1' }),
      });
      const token = signup.body.accessToken as string;
      for (let i = 1; i <= 12; i++)
        await json(`${server.url}/api/tasks`, { method: 'POST', token, body: JSON.stringify({ title: `Task number ${i} with a few words` }) });
      const socket = await connect(server.url, token);
      let received = '';
      const timeline: { at: number; length: number }[] = [];
      socket.on('assistant:delta', ({ text }) => {
        received += text;
        timeline.push({ at: Date.now(), length: received.length });
      });
      const ack = await sendMessage(socket, 'show my tasks');
      await until(() => received.length > 150, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const killedAt = Date.now();
      await stopServerProcess(server, 'SIGKILL');
      socket.close();

      server = await startServerProcess(env);
      const messagesUrl = `${server.url}/api/conversations/${ack.conversationId}/messages`;
      let messages: any[] = [];
      await until(async () => {
        messages = (await json(messagesUrl, { token })).body.messages;
        return messages[1]?.status === 'interrupted';
      }, 20_000);
      expect(messages[0]).toMatchObject({ id: ack.message.id, role: 'user', content: 'show my tasks' });
      const kept = messages[1].content as string;
      expect(received.startsWith(kept)).toBe(true);
      const secondBefore = timeline.filter((point) => point.at <= killedAt - 1_100).at(-1)?.length ?? 0;
      expect(kept.length).toBeGreaterThanOrEqual(secondBefore);

      const again = await json(`${server.url}/api/chat`, {
        method: 'POST',
        token,
        body: JSON.stringify({ conversation_id: ack.conversationId, message: 'add one more thing' }),
      });
      expect(again.status).toBe(200);
      expect(again.body.response).toContain('One more thing');
    } finally {
      await stopServerProcess(server);
    }
  }, 60_000);
});

describe('a database outage while serving', () => {
  it('answers 503 UNAVAILABLE on REST, /ready and socket acks without hanging, and recovers by itself', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'taskstream-outage-'));
    chmodSync(dataDir, 0o755);
    let database = await startEmbeddedDatabase({ dataDir, ephemeral: true });
    const app = await createTestApp({ DATABASE_URL: database.url });
    try {
      const url = await listen(app);
      const signup = await app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email: 'outage@example.com', password: 'long enough 1' } });
      const token = signup.json().accessToken as string;
      const auth = { authorization: `Bearer ${token}` };
      const socket = await connect(url, token);

      await database.stop();
      const started = Date.now();
      const ready = await app.inject('/ready');
      expect(ready.statusCode).toBe(503);
      const tasks = await app.inject({ method: 'GET', url: '/api/tasks', headers: auth });
      expect(tasks.statusCode).toBe(503);
      expect(tasks.json().error.code).toBe('UNAVAILABLE');
      const ack = await socket.timeout(10_000).emitWithAck('conversation:join', { conversationId: randomUUID() });
      expect(ack).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
      expect(Date.now() - started).toBeLessThan(20_000);

      database = await startEmbeddedDatabase({ dataDir, port: database.port, ephemeral: true });
      await until(async () => (await app.inject('/ready')).statusCode === 200, 15_000);
      expect((await app.inject({ method: 'GET', url: '/api/tasks', headers: auth })).statusCode).toBe(200);
      const created = waitFor(socket, 'task:created');
      await app.inject({ method: 'POST', url: '/api/tasks', headers: auth, payload: { title: 'after the outage' } });
      expect((await created).task.title).toBe('after the outage');
      socket.close();
    } finally {
      await app.close();
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm start on a data directory, stopped with SIGTERM, started again', () => {
  it('stops the server and its embedded PostgreSQL cleanly within 10 s, and the next start reuses the data', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'taskstream-restart-'));
    chmodSync(dataDir, 0o755);
    const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
    try {
      let server = await startServerProcess(env);
      expect(server.output()).toMatch(/database: embedded PostgreSQL on port \d+ \(data in .*taskstream-restart-/);
      const signup = await json(`${server.url}/api/auth/signup`, {
        method: 'POST',
        body: JSON.stringify({ email: 'restart@example.com', password: 'long enough 1' }),
      });
      expect(signup.status).toBe(201);
      const stoppedAt = Date.now();
      expect(await stopServerProcess(server, 'SIGTERM')).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
      expect(postgresServing(dataDir)).toEqual([]);

      server = await startServerProcess(env);
      try {
        const login = await json(`${server.url}/api/auth/login`, {
          method: 'POST',
          body: JSON.stringify({ email: 'restart@example.com', password: 'long enough 1' }),
        });
        expect(login.status).toBe(200);
        // The development JWT secret is kept in DATA_DIR, so the first run's token still works.
        expect((await json(`${server.url}/api/auth/me`, { token: signup.body.accessToken })).status).toBe(200);
      } finally {
        await stopServerProcess(server, 'SIGINT');
      }
      expect(postgresServing(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
