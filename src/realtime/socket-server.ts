// Socket.IO on Fastify's http server: the token handshake, the per-user socket cap, rooms across
// instances (the PostgreSQL adapter, or Redis with REDIS_URL), ended sessions disconnected everywhere,
// and an orderly close.
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { Server, type ServerOptions } from 'socket.io';
import type { AccessTokens } from '../auth/access-tokens.ts';
import type { EndedSessions } from '../auth/sessions.ts';
import { AppError, type ErrorCode } from '../shared/errors.ts';
import { InFlight } from '../shared/in-flight.ts';
import { postgresRoomAdapter, type RoomAdapter, redisRoomAdapter } from './adapter.ts';
import { sessionRoom } from './events.ts';
import { checkFanOutOptions } from './fan-out.ts';
import type { AppServer } from './socket-types.ts';

export interface SocketServerOptions {
  tokens: AccessTokens;
  sessions: EndedSessions;
  databaseUrl: string;
  /** Rooms across instances through this Redis server instead of PostgreSQL. */
  redisUrl?: string;
  corsOrigins: string[];
  /** At most this many open sockets per user on this instance (no cap when RATE_LIMITS=off). */
  socketsPerUser?: number;
  /** Take the client's address from X-Forwarded-For (TRUST_PROXY), as Fastify does for REST. */
  trustProxy: boolean;
  /** The lists a user belongs to (a socket joins their rooms). */
  listsOf(userId: string): Promise<string[]>;
}

/** Largest socket payload accepted: a 4,000-character message with room to spare. */
const maxSocketPayloadBytes = 32 * 1024;

/** The server, and a promise that settles once its adapter listens for other instances (closing before that would leak its connection). */
export async function createSocketServer(app: FastifyInstance, options: SocketServerOptions): Promise<{ io: AppServer; listening: Promise<void> }> {
  const serverOptions: Partial<ServerOptions> = {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: maxSocketPayloadBytes,
    cors: options.corsOrigins.length ? { origin: options.corsOrigins, credentials: true } : undefined,
  };
  checkFanOutOptions(serverOptions);
  const io: AppServer = new Server(app.server, serverOptions);
  const logAdapterError = (error: Error) => app.log.warn({ err: error }, `socket.io adapter: ${options.redisUrl ? 'Redis' : 'database'} connection failed`);
  let adapter: RoomAdapter;
  if (options.redisUrl) adapter = await redisRoomAdapter(options.redisUrl, logAdapterError);
  else {
    // One connection LISTENs, one sends every NOTIFY: a single sender keeps broadcasts in the order they
    // were emitted (deltas!), which NOTIFYs racing on several connections would not. A busy instance
    // queues thousands of them, so a queued one waits its turn for long rather than being dropped.
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2, connectionTimeoutMillis: 60_000 });
    pool.on('error', logAdapterError);
    adapter = postgresRoomAdapter(pool, logAdapterError);
  }
  io.adapter(adapter.factory);
  // Engine.IO answers (the handshake, long-polling) bypass Fastify's hooks: they get nosniff here.
  const noSniff = (headers: Record<string, string>) => {
    headers['X-Content-Type-Options'] = 'nosniff';
  };
  io.engine.on('initial_headers', noSniff);
  io.engine.on('headers', noSniff);

  // Open sockets per user on this instance, for the cap.
  const openSockets = options.socketsPerUser === undefined ? undefined : new InFlight(options.socketsPerUser);
  const handshakeErrors: Partial<Record<ErrorCode, string>> = { UNAUTHORIZED: 'unauthorized', RATE_LIMITED: 'rate limited' };
  io.use(async (socket, next) => {
    const forwarded = options.trustProxy
      ? String(socket.handshake.headers['x-forwarded-for'] ?? '')
          .split(',')[0]!
          .trim()
      : '';
    try {
      Object.assign(socket.data, await options.tokens.authenticate(socket.handshake.auth?.token, forwarded || socket.handshake.address));
    } catch (error) {
      return next(new Error((error instanceof AppError && handshakeErrors[error.code]) || 'unavailable'));
    }
    const leave = openSockets?.enter(socket.data.userId);
    if (openSockets && !leave) return next(new Error('too many connections'));
    if (leave) socket.once('disconnect', leave);
    try {
      socket.data.lists = await options.listsOf(socket.data.userId);
    } catch {
      leave?.();
      return next(new Error('unavailable'));
    }
    next();
  });

  app.addHook('preClose', async () => {
    io.local.disconnectSockets(true);
  });
  app.addHook('onClose', async () => {
    await io.close();
    await adapter.close();
  });

  // A session ended here: tell the peers, and disconnect its sockets wherever they are.
  io.on('session:ended', (sessionId) => options.sessions.add(sessionId));
  options.sessions.onEnd((sessionId) => {
    io.serverSideEmit('session:ended', sessionId);
    io.in(sessionRoom(sessionId)).disconnectSockets(true);
  });
  return { io, listening: adapter.listening };
}
