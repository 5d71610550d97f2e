// Conversations and messages as clients see them: rows and entities mapped to the DTOs of the contract.
import type { Conversation } from '../db/entities/index.ts';
import { toIso } from '../shared/timestamps.ts';
import type { MessageFields } from './conversations.repository.ts';
import type { ConversationDto, MessageDto, PendingApproval } from './conversations.schemas.ts';

export function toMessageDto(message: MessageFields): MessageDto {
  return {
    id: message.id,
    conversation_id: typeof message.conversation === 'string' ? message.conversation : message.conversation.id,
    role: message.role,
    content: message.content,
    status: message.status,
    tool_calls: message.toolCalls ?? null,
    tool_results: message.toolResults ?? null,
    created_at: toIso(message.createdAt),
  };
}

/** The call a message holds for approval: its first call without a result (null unless it awaits approval). */
export function pendingApproval(message: MessageDto): PendingApproval | null {
  if (message.status !== 'awaiting_approval') return null;
  const answered = new Set((message.tool_results ?? []).map((result) => result.tool_call_id));
  const held = (message.tool_calls ?? []).find((call) => !answered.has(call.id));
  return held ? { messageId: message.id, toolCallId: held.id, name: held.name, arguments: held.arguments, summary: held.summary ?? `Run ${held.name}?` } : null;
}

export function toConversationDto(conversation: Conversation, lastMessage: MessageDto | null | undefined): ConversationDto {
  return {
    id: conversation.id,
    title: conversation.title,
    created_at: conversation.createdAt.toISOString(),
    updated_at: conversation.updatedAt.toISOString(),
    last_message: lastMessage ?? null,
  };
}
