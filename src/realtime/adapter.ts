// Socket.IO rooms across instances: through PostgreSQL LISTEN/NOTIFY (@socket.io/postgres-adapter,
// the default: no other service) or through a Redis stream (@socket.io/redis-streams-adapter, when
// REDIS_URL is set). Either way, broadcasts reach this instance's sockets first and at once, and a
// reply's deltas cross to the other instances in batches (fan-out.ts).
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-streams-adapter';
import type pg from 'pg';
import { createClient } from 'redis';
import { Adapter, type BroadcastOptions, type ClusterAdapter, MessageType } from 'socket.io-adapter';
import { DeltaFanOut, type RelayedDeltas, relayEvent } from './fan-out.ts';

/** How long the start waits for Redis. */
const redisConnectMs = 10_000;

export interface RoomAdapter {
  /** For `io.adapter()`. */
  factory: (nsp: unknown) => ClusterAdapter;
  /** Settles once the adapter listens for the other instances (or has given up waiting). */
  listening: Promise<void>;
  /** Releases what the adapter holds beyond the namespace (after `io.close()`). */
  close(): Promise<void>;
}

type Packet = Parameters<Adapter['broadcast']>[0];
const settled = Promise.resolve();

/**
 * The adapter, made to deliver locally first and to relay deltas: a broadcast goes to this
 * instance's sockets at once and then, with peers, through the cluster (after the deltas the window
 * holds, which keeps a peer's events in emit order); a relayed batch of deltas is written to this
 * instance's connections instead of being broadcast as an event.
 */
function localFirst(adapter: ClusterAdapter, alone: () => boolean, onError: (error: Error) => void): ClusterAdapter {
  const cluster = adapter as unknown as {
    uid: string;
    publishAndReturnOffset(message: { type: MessageType; data: unknown }): Promise<unknown>;
    onMessage(message: { uid: string; type: MessageType; data?: { packet?: Packet } }, offset?: string): unknown;
  };
  const publish = (packet: Packet, opts: BroadcastOptions) =>
    cluster
      .publishAndReturnOffset({
        type: MessageType.BROADCAST,
        data: { packet, opts: { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags } },
      })
      .then(() => undefined, onError);
  const fanOut = new DeltaFanOut(adapter, alone, (batch) => void publish({ type: 2, nsp: adapter.nsp.name, data: [relayEvent, batch] }, { rooms: new Set() }));
  Object.assign(adapter, { fanOut });
  adapter.broadcast = (packet: Packet, opts: BroadcastOptions) => {
    fanOut.flush();
    Adapter.prototype.broadcast.call(adapter, packet, opts);
    if (opts.flags?.local || alone()) return settled;
    return publish(packet, opts);
  };
  const receive = cluster.onMessage.bind(adapter);
  cluster.onMessage = (message, offset) => {
    const data = message.data?.packet?.data as [string, RelayedDeltas[]] | undefined;
    if (message.type === MessageType.BROADCAST && data?.[0] === relayEvent) {
      if (message.uid !== cluster.uid) fanOut.receive(data[1]);
      return undefined;
    }
    return receive(message, offset);
  };
  return adapter;
}

/**
 * Rooms across instances through PostgreSQL. The stock adapter awaits a NOTIFY before every local
 * emit; this one does not (localFirst), and sends nothing while no other instance has announced
 * itself (it tracks peers by heartbeat).
 */
export function postgresRoomAdapter(pool: pg.Pool, onError: (error: Error) => void, listenTimeoutMs = 5_000): RoomAdapter {
  const listening = watchListen(pool, listenTimeoutMs);
  releaseDeadConnections(pool, onError);
  const create = createPostgresAdapter(pool, { errorHandler: onError, heartbeatInterval: 2_000, heartbeatTimeout: 6_000 });
  // Socket.IO calls this with `new`, so it must be a function, not an arrow.
  const factory = function roomAdapter(nsp: unknown) {
    const adapter = create(nsp) as unknown as ClusterAdapter & { nodesMap: Map<string, unknown> };
    return localFirst(adapter, () => adapter.nodesMap.size === 0, onError);
  };
  return { factory, listening, close: () => pool.end() };
}

/**
 * Rooms across instances through a Redis stream (XADD/XREAD; serverSideEmit over PUB/SUB). It has no
 * heartbeat to tell whether peers are there, so it always publishes: a lone instance pays one XADD
 * per broadcast and per window of deltas (REDIS_URL is for several instances).
 */
export async function redisRoomAdapter(url: string, onError: (error: Error) => void): Promise<RoomAdapter> {
  const client = createClient({ url, socket: { connectTimeout: 5_000 } });
  client.on('error', onError);
  // A Redis that does not answer stops the start with one clear line, rather than a retry for ever.
  const refused = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`could not reach Redis at REDIS_URL within ${redisConnectMs / 1000} s`)), redisConnectMs).unref(),
  );
  await Promise.race([client.connect(), refused]).catch((error: Error) => {
    client.destroy();
    throw error;
  });
  // The stream keeps the latest 100,000 entries (the default 10,000 lost events to a peer reading behind
  // a burst: 20,000 at once in the tests), read 1,000 at a time.
  const create = createRedisAdapter(client, { onlyPlaintext: true, maxLen: 100_000, readCount: 1_000 });
  const factory = function roomAdapter(nsp: unknown) {
    return localFirst(create(nsp) as unknown as ClusterAdapter, () => false, onError);
  };
  return {
    factory,
    listening: settled,
    close: () =>
      client.quit().then(
        () => undefined,
        () => undefined,
      ),
  };
}

/**
 * Resolves when the adapter's LISTEN on its pooled connection has completed (or after `timeoutMs`).
 * The adapter acquires that connection asynchronously and only releases it on close if it already
 * holds it, so closing earlier would leave the pool unable to end. Its heartbeats take connections
 * from the same pool, and either may be connected first, so every connection handed out is watched
 * until one of them runs the LISTEN.
 */
function watchListen(pool: pg.Pool, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const watched = new Map<pg.PoolClient, pg.PoolClient['query']>();
    const done = () => {
      clearTimeout(timer);
      pool.off('acquire', watch);
      for (const [client, query] of watched) client.query = query;
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const watch = (client: pg.PoolClient) => {
      if (watched.has(client)) return;
      const query = client.query;
      watched.set(client, query);
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const result = (query as (...args: unknown[]) => unknown).apply(client, args);
        if (typeof args[0] === 'string' && args[0].startsWith('LISTEN') && result instanceof Promise) result.then(done, done);
        return result;
      };
    };
    pool.on('acquire', watch);
  });
}

/**
 * When its LISTEN connection dies (the database restarted), the adapter drops it and connects anew
 * without releasing it, so the pool would count it as checked out forever and never end. Release
 * such a connection on the adapter's behalf (it only releases a live one, on close).
 */
function releaseDeadConnections(pool: pg.Pool, onError: (error: Error) => void): void {
  const checkedOut = new Set<pg.PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_error, client) => checkedOut.delete(client));
  pool.on('connect', (client) => {
    client.on('error', onError);
    client.on('end', () => {
      if (checkedOut.delete(client as pg.PoolClient)) (client as pg.PoolClient).release(new Error('connection ended'));
    });
  });
}
