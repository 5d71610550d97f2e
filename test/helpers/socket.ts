// Real socket.io-client connections to an app listening on a free port.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll } from 'vitest';
import type { AppOverrides } from '../../src/app.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/realtime/events.ts';
import { createTestApp, signup, type TestUser, testApp } from './app.ts';
import { startRedis } from './redis.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

/** The app listening on a free port for the tests of one describe block, closed after them. */
export function listeningApp(...args: Parameters<typeof createTestApp>) {
  const suite = testApp(...args) as ReturnType<typeof testApp> & { url: string };
  beforeAll(async () => {
    suite.url = await listen(suite.app);
  });
  return suite;
}

/** The ways instances share rooms: every multi-instance test runs over each (`describe.each(roomAdapters)`). */
export const roomAdapters = ['postgres', 'redis'] as const;
export type RoomAdapterKind = (typeof roomAdapters)[number];

/**
 * Two instances of the app on one database, both listening, for the tests of one describe block,
 * sharing rooms through PostgreSQL or through a redis-server of their own: ready once each adapter
 * counts the other; closed after them.
 */
export function twoListeningApps(env: Record<string, string> = {}, overrides: AppOverrides = {}, adapter: RoomAdapterKind = 'postgres') {
  const suite = {} as { a: FastifyInstance; b: FastifyInstance; urlA: string; urlB: string };
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  beforeAll(async () => {
    redis = adapter === 'redis' ? await startRedis() : undefined;
    const shared = { ...env, ...(redis ? { REDIS_URL: redis.url } : {}) };
    [suite.a, suite.b] = [await createTestApp(shared, overrides), await createTestApp(shared, overrides)];
    [suite.urlA, suite.urlB] = [await listen(suite.a), await listen(suite.b)];
    await until(async () => (await suite.a.io.of('/').adapter.serverCount()) === 2 && (await suite.b.io.of('/').adapter.serverCount()) === 2, 10_000);
  });
  afterAll(async () => {
    await Promise.all([suite.a?.close(), suite.b?.close()]);
    await redis?.stop();
  });
  return suite;
}

/** A new user with one tab on each of two instances. */
export async function tabsOnBoth(suite: {
  a: FastifyInstance;
  urlA: string;
  urlB: string;
}): Promise<{ user: TestUser; tabA: ClientSocket; tabB: ClientSocket }> {
  const user = await signup(suite.a);
  const [tabA, tabB] = [await connect(suite.urlA, user.accessToken), await connect(suite.urlB, user.accessToken)];
  return { user, tabA, tabB };
}

/** A connected socket, over WebSocket unless `transports` says otherwise. */
export function connect(
  url: string,
  token: string | undefined,
  options: { reconnection?: boolean; transports?: ('websocket' | 'polling')[] } = {},
): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = io(url, {
      auth: token === undefined ? {} : { token },
      transports: options.transports ?? ['websocket'],
      reconnection: options.reconnection ?? false,
      forceNew: true,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Records every server event a socket receives, in order. */
export function record(socket: ClientSocket) {
  const events: [string, any][] = [];
  socket.onAny((name: string, payload: unknown) => events.push([name, payload]));
  return events;
}

export function waitFor<T = any>(
  socket: ClientSocket,
  event: keyof ServerToClientEvents,
  predicate: (payload: T) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: T) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(payload);
    };
    socket.on(event, handler as never);
  });
}

export const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Sends a message from a tab (with a fresh clientId, to a conversation or a new one) and gives its ack; throws should it be refused. */
export async function sendMessage(tab: ClientSocket, content: string, conversationId?: string) {
  const ack = await tab.emitWithAck('message:send', { content, clientId: randomUUID(), ...(conversationId ? { conversationId } : {}) });
  if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
  return ack;
}

let rawAckIds = 1_000_000;

/**
 * Emits an event whose arguments are written as raw JSON text into the Socket.IO frame (protocol v5:
 * `2<ack id>[name, …args]`), bypassing the client's encoder, which cannot walk what a hostile client
 * may send (nesting tens of thousands deep). Resolves with the ack's arguments, or rejects after `timeoutMs`.
 */
export function emitRaw(socket: ClientSocket, event: string, argsJson: string, timeoutMs = 5_000): Promise<unknown[]> {
  const id = rawAckIds++;
  const engine = socket.io.engine;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      engine.off('message', onMessage);
      reject(new Error(`no ack to raw ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (data: unknown) => {
      if (typeof data !== 'string' || !data.startsWith(`3${id}[`)) return;
      clearTimeout(timer);
      engine.off('message', onMessage);
      resolve(JSON.parse(data.slice(`3${id}`.length)));
    };
    engine.on('message', onMessage);
    engine.send(`2${id}[${JSON.stringify(event)}${argsJson ? `,${argsJson}` : ''}]`);
  });
}
