// Socket.IO on Fastify's http server: token handshake, per-user and per-conversation rooms,
// the event sinks the services announce through, and the socket command handlers.
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { Server, type Socket } from 'socket.io';
import type { ChatService, ReplyEventSink, StreamingState } from '../assistant/chat.service.ts';
import type { AccessTokens } from '../auth/access-tokens.ts';
import type { EndedSessions } from '../auth/sessions.ts';
import type { ConversationEventSink, ConversationsService } from '../conversations/conversations.service.ts';
import type { Orm } from '../db/orm.ts';
import { AppError } from '../shared/errors.ts';
import type { KeyedBuckets } from '../shared/token-bucket.ts';
import type { TaskEventSink } from '../tasks/tasks.service.ts';
import { createRoomAdapter } from './adapter.ts';
import { type ClientToServerEvents, conversationRoom, type ServerToClientEvents, sessionRoom, userRoom } from './events.ts';
import { registerConversationHandlers } from './handlers/conversation.handlers.ts';
import { registerMessageHandlers } from './handlers/message.handlers.ts';

export interface SocketData {
  userId: string;
  sessionId: string;
  /** When the handshake's access token expires (epoch ms). */
  expiresAt: number;
}
/** Between instances: the one generating a conversation's reply answers with its exact state. */
export interface InterServerEvents {
  'reply:snapshot': (conversationId: string, ack: (snapshot: StreamingState | null) => void) => void;
  /** Ends a conversation's reply on whichever instance generates it (stop, or the conversation was deleted). */
  'reply:stop': (conversationId: string) => void;
  /** A login session ended (logout, or its refresh token replayed): refuse its access tokens here too. */
  'session:ended': (sessionId: string) => void;
}
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** The reply in progress in a conversation, wherever it is generated; null when there is none. */
export type StreamingLookup = (conversationId: string) => Promise<StreamingState | null>;

export interface GatewayOptions {
  tokens: AccessTokens;
  sessions: EndedSessions;
  databaseUrl: string;
  corsOrigins: string[];
  /** Per-user budgets and caps; absent when RATE_LIMITS=off. */
  limits?: { messages: KeyedBuckets; joins: KeyedBuckets; socketsPerUser: number };
}

export interface Gateway {
  io: AppServer;
  /** Settles once the adapter listens for other instances (closing before that would leak its connection). */
  listening: Promise<void>;
  taskEvents: TaskEventSink;
  conversationEvents: ConversationEventSink;
  replyEvents: ReplyEventSink;
  /** Starts answering socket commands with these services. */
  serve(services: { orm: Orm; conversations: ConversationsService; chat: ChatService }): void;
  /** Asks the other instances to end a conversation's reply, should one of them be generating it. */
  stopOnPeers(conversationId: string): void;
}

/** Largest socket payload accepted: a 4,000-character message with room to spare. */
const maxSocketPayloadBytes = 32 * 1024;
/** setTimeout's longest delay (about 24.8 days). */
const maxTimerMs = 2 ** 31 - 1;

export function createGateway(app: FastifyInstance, options: GatewayOptions): Gateway {
  const io: AppServer = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: maxSocketPayloadBytes,
    cors: options.corsOrigins.length ? { origin: options.corsOrigins, credentials: true } : undefined,
  });
  // One connection LISTENs, one sends every NOTIFY: a single sender keeps broadcasts in the order they
  // were emitted (deltas!), which NOTIFYs racing on several connections would not. A busy instance
  // queues thousands of them, so a queued one waits its turn for long rather than being dropped.
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2, connectionTimeoutMillis: 60_000 });
  const logAdapterError = (error: Error) => app.log.warn({ err: error }, 'socket.io adapter: database connection failed');
  pool.on('error', logAdapterError);
  const adapter = createRoomAdapter(pool, logAdapterError);
  io.adapter(adapter.factory);

  // Open sockets per user on this instance, for the cap.
  const openSockets = new Map<string, number>();
  io.use(async (socket, next) => {
    try {
      Object.assign(socket.data, await options.tokens.authenticate(socket.handshake.auth?.token));
    } catch (error) {
      return next(new Error(error instanceof AppError && error.code === 'UNAUTHORIZED' ? 'unauthorized' : 'unavailable'));
    }
    const { userId } = socket.data;
    const open = openSockets.get(userId) ?? 0;
    if (options.limits && open >= options.limits.socketsPerUser) return next(new Error('too many connections'));
    openSockets.set(userId, open + 1);
    socket.once('disconnect', () => {
      const left = (openSockets.get(userId) ?? 1) - 1;
      if (left > 0) openSockets.set(userId, left);
      else openSockets.delete(userId);
    });
    next();
  });

  app.addHook('preClose', async () => {
    io.local.disconnectSockets(true);
  });
  app.addHook('onClose', async () => {
    await io.close();
    await pool.end();
  });

  const stopOnPeers = (conversationId: string) => io.serverSideEmit('reply:stop', conversationId);
  // A session ended here: tell the peers, and disconnect its sockets wherever they are.
  io.on('session:ended', (sessionId) => options.sessions.add(sessionId));
  options.sessions.onEnd((sessionId) => {
    io.serverSideEmit('session:ended', sessionId);
    io.in(sessionRoom(sessionId)).disconnectSockets(true);
  });
  const toUser = (userId: string) => io.to(userRoom(userId));
  const toConversation = (conversationId: string) => io.to(conversationRoom(conversationId));
  return {
    io,
    listening: adapter.listening,
    stopOnPeers,
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
    replyEvents: {
      userMessage: (conversationId, message) => toConversation(conversationId).emit('message:new', { conversationId, message }),
      replyStarted: (conversationId, messageId) => toConversation(conversationId).emit('assistant:start', { conversationId, messageId }),
      replyDelta: (conversationId, messageId, seq, text) => toConversation(conversationId).emit('assistant:delta', { conversationId, messageId, seq, text }),
      toolCall: (conversationId, messageId, call) =>
        toConversation(conversationId).emit('assistant:tool_call', {
          conversationId,
          messageId,
          toolCallId: call.id,
          name: call.name,
          arguments: call.arguments,
        }),
      toolResult: (conversationId, messageId, result) =>
        toConversation(conversationId).emit('assistant:tool_result', {
          conversationId,
          messageId,
          toolCallId: result.tool_call_id,
          name: result.name,
          ok: result.ok,
          ...(result.ok ? { result: result.result } : { error: result.error }),
        }),
      replyDone: (conversationId, message) => toConversation(conversationId).emit('assistant:done', { conversationId, message }),
      replyError: (conversationId, messageId, error) => toConversation(conversationId).emit('assistant:error', { conversationId, messageId, ...error }),
    },
    serve(services) {
      const context = { orm: services.orm, log: app.log };
      io.on('reply:snapshot', (conversationId, ack) => ack(services.chat.streaming(conversationId)));
      io.on('reply:stop', (conversationId) => services.chat.abort(conversationId));
      const streaming: StreamingLookup = async (conversationId) => {
        const local = services.chat.streaming(conversationId);
        if (local) return local;
        const answers = await Promise.race([
          io.serverSideEmitWithAck('reply:snapshot', conversationId).catch(() => []),
          new Promise<StreamingState[]>((resolve) => setTimeout(() => resolve([]), 1_000).unref()),
        ]);
        return answers.find((answer: StreamingState | null) => answer !== null) ?? null;
      };
      io.on('connection', (socket) => {
        // A socket lives as long as its token: at expiry the client reconnects with a fresh one.
        const expiry = setTimeout(() => socket.disconnect(true), Math.min(Math.max(0, socket.data.expiresAt - Date.now()), maxTimerMs));
        socket.once('disconnect', () => clearTimeout(expiry));
        void socket.join([userRoom(socket.data.userId), sessionRoom(socket.data.sessionId)]);
        registerConversationHandlers(socket, context, { conversations: services.conversations, streaming }, options.limits?.joins);
        registerMessageHandlers(socket, context, services.chat, options.limits?.messages);
      });
    },
  };
}
