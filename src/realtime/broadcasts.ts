// What the services announce, to rooms on every instance: task and conversation changes to the
// user's sockets, a reply's progress to its conversation's room (its deltas, the hot path, written
// straight to the room's connections while the instance is alone).
import type { ReplyEventSink } from '../assistant/chat.service.ts';
import type { ConversationEventSink } from '../conversations/conversations.service.ts';
import type { TaskEventSink } from '../tasks/tasks.service.ts';
import { hasPeers } from './adapter.ts';
import { conversationRoom, userRoom } from './events.ts';
import type { AppServer } from './socket-server.ts';

export interface Broadcasts {
  taskEvents: TaskEventSink;
  conversationEvents: ConversationEventSink;
  replyEvents: ReplyEventSink;
  /** Asks the other instances to end a conversation's replies, should one of them be generating them. */
  stopOnPeers(conversationId: string): void;
}

/** What Socket.IO hands Engine.IO with every packet it sends (compression allowed, as its own default). */
const sendOptions = { compress: true };

/**
 * A reply's `assistant:delta` packets, exactly as Socket.IO's parser encodes `emit('assistant:delta',
 * { conversationId, messageId, seq, text })` (protocol v5: `2` for an event, then the JSON of the
 * event's name and payload), with the ids encoded once per reply instead of once per delta.
 */
export function deltaPackets(conversationId: string, messageId: string): (seq: number, text: string) => string {
  const head = `2["assistant:delta",{"conversationId":${JSON.stringify(conversationId)},"messageId":${JSON.stringify(messageId)},"seq":`;
  return (seq, text) => `${head}${seq},"text":${JSON.stringify(text)}}]`;
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
        const { conversationId, messageId } = reply;
        const room = conversationRoom(conversationId);
        const everywhere = toConversation(conversationId);
        const { adapter, sockets } = io.sockets;
        const packet = deltaPackets(conversationId, messageId);
        // A stream's hot path. Alone, a delta is encoded once and handed to each of the room's
        // connections here: a broadcast's packet object, flags, scan for binary, pre-framed copy
        // and socket sets were 8% of a delta's CPU (measured side by side). With peers, the
        // broadcast reaches the room's sockets on every instance.
        return (text) => {
          const seq = ++reply.seq;
          if (hasPeers(adapter)) return everywhere.emit('assistant:delta', { conversationId, messageId, seq, text });
          const ids = adapter.rooms.get(room);
          if (!ids) return;
          const encoded = packet(seq, text);
          for (const id of ids) sockets.get(id)?.conn.send(encoded, sendOptions);
        };
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
