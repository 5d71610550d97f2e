// Socket.IO on Fastify's http server: token handshake, per-user rooms, and the event sinks of the services.
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { Server, type Socket } from 'socket.io';
import type { ConversationEventSink } from '../conversations/conversations.service.ts';
import type { Orm } from '../db/orm.ts';
import { verifyAccessToken } from '../http/auth-guard.ts';
import type { TaskEventSink } from '../tasks/tasks.service.ts';
import { createRoomAdapter } from './adapter.ts';
import { conversationRoom, userRoom, type ClientToServerEvents, type ServerToClientEvents } from './events.ts';

export interface SocketData {
  userId: string;
}
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface GatewayOptions {
  databaseUrl: string;
  corsOrigins: string[];
}

export interface Gateway {
  io: AppServer;
  /** Settles once the adapter listens for other instances (closing before that would leak its connection). */
  listening: Promise<void>;
  taskEvents: TaskEventSink;
  conversationEvents: ConversationEventSink;
}

/** Largest socket payload accepted: a 4,000-character message with room to spare. */
export const maxSocketPayloadBytes = 32 * 1024;

export function createGateway(app: FastifyInstance, options: GatewayOptions): Gateway {
  const io: AppServer = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: maxSocketPayloadBytes,
    cors: options.corsOrigins.length ? { origin: options.corsOrigins, credentials: true } : undefined,
  });
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2, connectionTimeoutMillis: 5_000 });
  pool.on('error', (error) => app.log.warn({ err: error }, 'socket.io adapter connection failed'));
  const adapter = createRoomAdapter(pool, (error) => app.log.warn({ err: error }, 'socket.io adapter error'));
  io.adapter(adapter.factory);

  io.use((socket, next) => {
    try {
      socket.data.userId = verifyAccessToken(app, socket.handshake.auth?.token);
      next();
    } catch {
      next(new Error('unauthorized'));
    }
  });
  io.on('connection', (socket) => {
    void socket.join(userRoom(socket.data.userId));
  });

  app.addHook('preClose', async () => {
    io.local.disconnectSockets(true);
  });
  app.addHook('onClose', async () => {
    await io.close();
    await pool.end();
  });

  const toUser = (userId: string) => io.to(userRoom(userId));
  return {
    io,
    listening: adapter.listening,
    taskEvents: {
      taskCreated: (userId, task) => toUser(userId).emit('task:created', { task }),
      taskUpdated: (userId, task) => toUser(userId).emit('task:updated', { task }),
      taskDeleted: (userId, deleted) => toUser(userId).emit('task:deleted', deleted),
    },
    conversationEvents: {
      conversationUpdated: (userId, conversation) => toUser(userId).emit('conversation:updated', { conversation }),
      conversationDeleted: (userId, id) => {
        toUser(userId).emit('conversation:deleted', { id });
        io.in(conversationRoom(id)).socketsLeave(conversationRoom(id));
      },
    },
  };
}
