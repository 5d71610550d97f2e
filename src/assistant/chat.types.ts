// What the chat service takes and gives: its announcements, a send, and what a send returns.
import type { ConversationDto, MessageDto, PendingApproval } from '../conversations/conversations.schemas.ts';
import type { StoredToolCall, StoredToolResult } from '../db/entities/index.ts';

/** Where a reply's progress is announced (the gateway emits it to the conversation's room). */
export interface ReplyEventSink {
  userMessage(conversationId: string, message: MessageDto): void;
  replyStarted(conversationId: string, messageId: string): void;
  /**
   * Sends one reply's text as deltas, numbering each by advancing `reply.seq` (the number of the last
   * one sent). Made once per reply (room, target and the encoded ids), so a piece of text costs one
   * call. The sink may hold text for a short window (a provider faster than it gets fewer, longer
   * deltas) and sets `reply.flushDeltas` to send what it holds at once: whoever reads the reply's text
   * beside its seq, or announces anything after its text, calls that first.
   */
  replyDeltas(reply: { readonly conversationId: string; readonly messageId: string; seq: number; flushDeltas: () => void }): (text: string) => void;
  toolCall(conversationId: string, messageId: string, call: StoredToolCall): void;
  toolResult(conversationId: string, messageId: string, result: StoredToolResult): void;
  replyDone(conversationId: string, message: MessageDto): void;
  replyError(conversationId: string, messageId: string, error: { code: string; message: string }): void;
  /** Messages that left the conversation (an edit or a regeneration), oldest first. */
  messagesRemoved(conversationId: string, messageIds: string[]): void;
  messageEdited(conversationId: string, message: MessageDto): void;
  /** A reply holds a destructive call until its user answers. */
  approvalRequest(conversationId: string, pending: PendingApproval): void;
}

export interface ApproveInput {
  conversationId: string;
  toolCallId: string;
  approved: boolean;
  beforeReply?: (conversationId: string) => void;
}

export interface EditInput {
  conversationId: string;
  messageId: string;
  content: string;
  clientId: string;
  beforeReply?: (conversationId: string) => void;
}

export interface SentMessage {
  conversation: ConversationDto;
  message: MessageDto;
  assistantMessageId: string;
  /** True when this was a retry of an already stored message (nothing new was created). */
  duplicate: boolean;
  /** Settles with the final assistant message (or rejects with the reply's error); absent for a retry. */
  reply?: Promise<MessageDto>;
}

export interface SendInput {
  conversationId?: string;
  /** Make the conversation with this id when there is none yet (an AI SDK chat's first message). */
  create?: boolean;
  content: string;
  clientId?: string;
  /** Runs once the message is stored and before its reply can emit anything (e.g. join the room). */
  beforeReply?: (conversationId: string) => void;
}
