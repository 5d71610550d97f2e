// The socket commands: each connection joins its user's and session's rooms, lives as long as its
// token, and answers conversation:join/leave (handlers/conversation.handlers.ts), message:send/edit,
// assistant:regenerate/stop and tool:approve (handlers/message.handlers.ts), task:undo
// (handlers/task.handlers.ts); between instances, the
// one generating a reply answers for it (its snapshot, a stop).
import type { FastifyInstance } from 'fastify';
import type { ChatService } from '../assistant/chat.service.ts';
import type { StreamingSnapshot } from '../conversations/conversations.schemas.ts';
import type { ConversationsService } from '../conversations/conversations.service.ts';
import type { Orm } from '../db/orm.ts';
import type { KeyedBuckets } from '../shared/token-bucket.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import { listRoom, sessionRoom, userRoom } from './events.ts';
import { registerConversationHandlers, type StreamingLookup } from './handlers/conversation.handlers.ts';
import { registerMessageHandlers } from './handlers/message.handlers.ts';
import { registerTaskHandlers } from './handlers/task.handlers.ts';
import type { AppServer } from './socket-types.ts';

export interface GatewayServices {
  orm: Orm;
  conversations: ConversationsService;
  chat: ChatService;
  tasks: TasksService;
  /** Per-user budgets (absent when RATE_LIMITS=off). */
  limits?: { messages: KeyedBuckets; joins: KeyedBuckets; commands: KeyedBuckets };
}

/** setTimeout's longest delay (about 24.8 days). */
const maxTimerMs = 2 ** 31 - 1;

export function serveSockets(app: FastifyInstance, io: AppServer, services: GatewayServices): void {
  const context = { orm: services.orm, log: app.log };
  io.on('reply:snapshot', (conversationId, ack) => ack(services.chat.streaming(conversationId)));
  io.on('reply:stop', (conversationId) => services.chat.abort(conversationId));
  const streaming: StreamingLookup = async (conversationId) => {
    const local = services.chat.streaming(conversationId);
    if (local) return local;
    const answers = await Promise.race([
      io.serverSideEmitWithAck('reply:snapshot', conversationId).catch(() => []),
      new Promise<StreamingSnapshot[]>((resolve) => setTimeout(() => resolve([]), 1_000).unref()),
    ]);
    return answers.find((answer: StreamingSnapshot | null) => answer !== null) ?? null;
  };
  io.on('connection', (socket) => {
    // A socket lives as long as its token: at expiry the client reconnects with a fresh one.
    const expiry = setTimeout(() => socket.disconnect(true), Math.min(Math.max(0, socket.data.expiresAt - Date.now()), maxTimerMs));
    socket.once('disconnect', () => clearTimeout(expiry));
    void socket.join([userRoom(socket.data.userId), sessionRoom(socket.data.sessionId), ...socket.data.lists.map(listRoom)]);
    registerConversationHandlers(socket, context, { conversations: services.conversations, streaming }, services.limits);
    registerMessageHandlers(socket, context, services.chat, services.limits);
    registerTaskHandlers(socket, context, services.tasks, services.limits);
  });
}
