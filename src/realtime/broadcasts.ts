// What the services announce, to rooms on every instance: task and conversation changes to the
// user's sockets, a reply's progress to its conversation's room (its deltas, the hot path, written
// straight to the room's connections while the instance is alone).
import type { ReplyEventSink } from '../assistant/chat.types.ts';
import type { ConversationEventSink } from '../conversations/conversations.service.ts';
import type { TaskEventSink } from '../tasks/tasks.service.ts';
import { conversationRoom, userRoom } from './events.ts';
import { deltaWriter } from './fan-out.ts';
import type { AppServer } from './socket-types.ts';

export interface Broadcasts {
  taskEvents: TaskEventSink;
  conversationEvents: ConversationEventSink;
  replyEvents: ReplyEventSink;
  /** Asks the other instances to end a conversation's replies, should one of them be generating them. */
  stopOnPeers(conversationId: string): void;
}

export function createBroadcasts(io: AppServer): Broadcasts {
  const toUser = (userId: string) => io.to(userRoom(userId));
  const toConversation = (conversationId: string) => io.to(conversationRoom(conversationId));
  return {
    stopOnPeers: (conversationId) => io.serverSideEmit('reply:stop', conversationId),
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
      replyDeltas: (reply) => {
        // A stream's hot path: see fan-out.ts for what the writer does while the instance is alone.
        const write = deltaWriter(io, reply.conversationId, reply.messageId);
        return (text) => write(++reply.seq, text);
      },
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
      messagesRemoved: (conversationId, messageIds) => toConversation(conversationId).emit('message:removed', { conversationId, messageIds }),
      messageEdited: (conversationId, message) => toConversation(conversationId).emit('message:updated', { conversationId, message }),
      approvalRequest: (conversationId, pending) => toConversation(conversationId).emit('assistant:approval_request', { conversationId, ...pending }),
    },
  };
}
