// The state of the open conversation, and how each server event and each join changes it: pure
// functions over the typed events of the shared contract (the seq/gap protocol lives here).
import type { JoinAck, MessageDto, PendingApproval, ServerToClientEvents } from './api.ts';

export const roomEvents = [
  'message:new',
  'assistant:start',
  'assistant:delta',
  'assistant:tool_call',
  'assistant:tool_result',
  'assistant:done',
  'assistant:error',
  'assistant:approval_request',
  'message:updated',
  'message:removed',
] as const;
type RoomEventName = (typeof roomEvents)[number];
/** A room event as the server sends it. */
export type RoomEvent = { [Name in RoomEventName]: { name: Name; payload: Parameters<ServerToClientEvents[Name]>[0] } }[RoomEventName];

export type RoomMessage = MessageDto & { error?: string };

export interface Room {
  conversationId: string;
  messages: readonly RoomMessage[];
  /** The reply streaming, and the last delta applied to it. */
  streaming?: { messageId: string; seq: number };
  /** A tool call waiting for the user's approval, and the seq its reply stopped at (it goes on from there). */
  pending?: PendingApproval | null;
  heldSeq?: number;
}

/** What the view must do after a change: redraw, update one message's text, or fetch the exact state again (a gap). */
export type Effect = { kind: 'render' } | { kind: 'text'; message: RoomMessage } | { kind: 'resync' } | { kind: 'none' };

export const emptyRoom = (conversationId: string): Room => ({ conversationId, messages: [] });

const blankReply = (room: Room, id: string): RoomMessage => ({
  id,
  conversation_id: room.conversationId,
  role: 'assistant',
  content: '',
  status: 'streaming',
  tool_calls: null,
  tool_results: null,
  created_at: new Date().toISOString(),
});

/** The room with the message `id` changed by `change` (created as an empty reply when unknown). */
function updateMessage(room: Room, id: string, change: (message: RoomMessage) => RoomMessage): Room {
  const index = room.messages.findIndex((message) => message.id === id);
  if (index < 0) return { ...room, messages: [...room.messages, change(blankReply(room, id))] };
  return { ...room, messages: room.messages.with(index, change(room.messages[index]!)) };
}

/** The room with `message` in it, replacing the one with its id. */
export function withMessage(room: Room, message: RoomMessage): Room {
  return updateMessage(room, message.id, () => message);
}

/** The room with an error notice from the client itself (a message that could not be sent). */
export function withNotice(room: Room, error: string): Room {
  return withMessage(room, { ...blankReply(room, crypto.randomUUID()), status: 'error', error });
}

/** The room with a reply's row present (e.g. right after a send is acked), without changing it if known. */
export function withReply(room: Room, id: string): Room {
  return updateMessage(room, id, (message) => message);
}

export function applyEvent(room: Room, event: RoomEvent): { room: Room; effect: Effect } {
  const render = (next: Room) => ({ room: next, effect: { kind: 'render' } as const });
  switch (event.name) {
    case 'message:new':
      return render(room.messages.some((message) => message.id === event.payload.message.id) ? room : withMessage(room, event.payload.message));
    case 'assistant:start': {
      // A reply going on after an approval keeps its text and continues its seq.
      const { messageId } = event.payload;
      const resumed = room.pending?.messageId === messageId;
      const next = updateMessage(room, messageId, (message) => ({ ...message, status: 'streaming' }));
      return render({ ...next, streaming: { messageId, seq: resumed ? (room.heldSeq ?? -1) : -1 }, pending: resumed ? null : room.pending });
    }
    case 'assistant:approval_request': {
      const { conversationId: _conversation, ...pending } = event.payload;
      const next = updateMessage(room, pending.messageId, (message) => ({ ...message, status: 'awaiting_approval' }));
      return render({ ...next, streaming: undefined, pending, heldSeq: room.streaming?.messageId === pending.messageId ? room.streaming.seq : -1 });
    }
    case 'message:updated':
      return render(withMessage(room, event.payload.message));
    case 'message:removed': {
      const gone = new Set(event.payload.messageIds);
      const messages = room.messages.filter((message) => !gone.has(message.id));
      return render({ ...room, messages, streaming: room.streaming && gone.has(room.streaming.messageId) ? undefined : room.streaming });
    }
    case 'assistant:delta': {
      const { messageId, seq, text } = event.payload;
      const streaming = room.streaming?.messageId === messageId ? room.streaming : { messageId, seq: -1 };
      if (seq <= streaming.seq) return { room, effect: { kind: 'none' } }; // already part of the snapshot
      if (seq > streaming.seq + 1) return { room, effect: { kind: 'resync' } }; // a gap: never show a hole
      const next = { ...updateMessage(room, messageId, (message) => ({ ...message, content: message.content + text })), streaming: { messageId, seq } };
      return { room: next, effect: { kind: 'text', message: next.messages.find((message) => message.id === messageId)! } };
    }
    case 'assistant:tool_call': {
      const { messageId, toolCallId: id, name, arguments: args } = event.payload;
      return render(
        updateMessage(room, messageId, (message) =>
          message.tool_calls?.some((call) => call.id === id)
            ? message
            : { ...message, tool_calls: [...(message.tool_calls ?? []), { id, name, arguments: args }] },
        ),
      );
    }
    case 'assistant:tool_result': {
      const { messageId, toolCallId, name, ok, result, error } = event.payload;
      return render(
        updateMessage(room, messageId, (message) =>
          message.tool_results?.some((existing) => existing.tool_call_id === toolCallId)
            ? message
            : { ...message, tool_results: [...(message.tool_results ?? []), { tool_call_id: toolCallId, name, ok, result, error }] },
        ),
      );
    }
    case 'assistant:done': {
      const next = withMessage(room, event.payload.message);
      return render(room.streaming?.messageId === event.payload.message.id ? { ...next, streaming: undefined } : next);
    }
    case 'assistant:error': {
      const { messageId, message: error } = event.payload;
      const next = updateMessage(room, messageId, (message) => ({ ...message, status: 'error', error }));
      return render(room.streaming?.messageId === messageId ? { ...next, streaming: undefined } : next);
    }
  }
}

/**
 * The room after a join: the history it returned (with `afterMessageId`, what was missed, on top of
 * the settled messages already shown), and the reply in progress exactly as far as its `seq`. The
 * snapshot replaces what the tab had of that reply; tool events arriving after it are applied once
 * (by toolCallId), whether or not the snapshot already held them.
 */
export function joined(room: Room, ack: Extract<JoinAck, { ok: true }>, missed: readonly MessageDto[], afterMessageId: string | undefined): Room {
  const fresh = new Set(missed.map((message) => message.id));
  const kept = afterMessageId ? room.messages.filter((message) => !fresh.has(message.id) && message.status !== 'streaming') : [];
  const next: Room = { conversationId: ack.conversation.id, messages: [...kept, ...missed], pending: ack.pending_approval };
  const snapshot = ack.streaming;
  if (!snapshot) return next;
  return {
    ...updateMessage(next, snapshot.messageId, (message) => ({
      ...message,
      content: snapshot.content,
      status: 'streaming',
      tool_calls: snapshot.tool_calls,
      tool_results: snapshot.tool_results,
    })),
    streaming: { messageId: snapshot.messageId, seq: snapshot.seq },
  };
}
