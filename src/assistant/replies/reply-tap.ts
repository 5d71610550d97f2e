// A reply's progress, heard on the instance that generates it besides the rooms: what an HTTP
// stream of a turn (POST /api/chat/ui) follows. A reply nobody listens to costs nothing more.
import type { MessageDto, PendingApproval } from '../../conversations/conversations.schemas.ts';
import type { StoredToolCall, StoredToolResult } from '../../db/entities/index.ts';
import type { ReplyEventSink } from '../chat.types.ts';

export type ReplyProgress =
  | { type: 'start'; messageId: string }
  | { type: 'delta'; text: string }
  | { type: 'tool-call'; call: StoredToolCall }
  | { type: 'tool-result'; result: StoredToolResult }
  | { type: 'approval'; pending: PendingApproval }
  | { type: 'done'; message: MessageDto }
  | { type: 'error'; error: { code: string; message: string } };

export interface ReplyTap {
  /** The rooms' sink, telling listeners too. */
  sink: ReplyEventSink;
  /** Hears a conversation's replies until the function returned is called. */
  listen(conversationId: string, listener: (progress: ReplyProgress) => void): () => void;
}

export function tapReplies(rooms: ReplyEventSink): ReplyTap {
  const listeners = new Map<string, Set<(progress: ReplyProgress) => void>>();
  const tell = (conversationId: string, progress: ReplyProgress) => {
    for (const listener of listeners.get(conversationId) ?? []) listener(progress);
  };
  return {
    listen(conversationId, listener) {
      const set = listeners.get(conversationId) ?? new Set();
      listeners.set(conversationId, set.add(listener));
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(conversationId);
      };
    },
    sink: {
      ...rooms,
      replyStarted: (conversationId, messageId) => {
        rooms.replyStarted(conversationId, messageId);
        tell(conversationId, { type: 'start', messageId });
      },
      replyDeltas: (reply) => {
        const write = rooms.replyDeltas(reply);
        // The hot path stays as it is unless someone listened when the reply began.
        if (!listeners.has(reply.conversationId)) return write;
        return (text) => {
          write(text);
          tell(reply.conversationId, { type: 'delta', text });
        };
      },
      toolCall: (conversationId, messageId, call) => {
        rooms.toolCall(conversationId, messageId, call);
        tell(conversationId, { type: 'tool-call', call });
      },
      toolResult: (conversationId, messageId, result) => {
        rooms.toolResult(conversationId, messageId, result);
        tell(conversationId, { type: 'tool-result', result });
      },
      approvalRequest: (conversationId, pending) => {
        rooms.approvalRequest(conversationId, pending);
        tell(conversationId, { type: 'approval', pending });
      },
      replyDone: (conversationId, message) => {
        rooms.replyDone(conversationId, message);
        tell(conversationId, { type: 'done', message });
      },
      replyError: (conversationId, messageId, error) => {
        rooms.replyError(conversationId, messageId, error);
        tell(conversationId, { type: 'error', error });
      },
    },
  };
}
