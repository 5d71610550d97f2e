// Socket.IO rooms across instances through PostgreSQL LISTEN/NOTIFY (@socket.io/postgres-adapter).
import { createAdapter } from '@socket.io/postgres-adapter';
import type pg from 'pg';
import { Adapter } from 'socket.io-adapter';
import { isAlone } from './fan-out.ts';

type PostgresAdapter = ReturnType<ReturnType<typeof createAdapter>>;
type BroadcastArgs = Parameters<PostgresAdapter['broadcast']>;
const settled = Promise.resolve();

/**
 * The stock adapter awaits a NOTIFY before every local emit, even when it is the only instance.
 * This one emits locally straight away while no other instance has announced itself (the adapter
 * tracks peers by heartbeat), so a single server never pays a database round trip per event.
 * `listening` settles once the adapter listens for the other instances, or after `listenTimeoutMs`
 * (a database slow to answer does not hold the start).
 */
export function createRoomAdapter(pool: pg.Pool, onError: (error: Error) => void, listenTimeoutMs = 5_000) {
  const listening = watchListen(pool, listenTimeoutMs);
  releaseDeadConnections(pool, onError);
  const createPostgresAdapter = createAdapter(pool, { errorHandler: onError, heartbeatInterval: 2_000, heartbeatTimeout: 6_000 });
  // Socket.IO calls this with `new`, so it must be a function, not an arrow.
  const factory = function roomAdapter(nsp: unknown) {
    const adapter = createPostgresAdapter(nsp);
    const broadcastEverywhere = adapter.broadcast.bind(adapter);
    // Alone: the in-memory adapter's broadcast itself (what the cluster adapter ends with locally; fan-out.ts).
    adapter.broadcast = (packet: BroadcastArgs[0], opts: BroadcastArgs[1]) => {
      if (!isAlone(adapter)) return broadcastEverywhere(packet, opts);
      Adapter.prototype.broadcast.call(adapter, packet, opts);
      return settled;
    };
    return adapter;
  };
  return { factory, listening };
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
