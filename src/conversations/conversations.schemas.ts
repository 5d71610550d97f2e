import { z } from 'zod';
import { messageRoles, messageStatuses } from '../db/entities/message.entity.ts';
import { queryInt, uuid } from '../shared/schemas.ts';

export const toolCallDto = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  summary: z.string().optional().describe('For a call held for approval: what it would do'),
});
export const toolResultDto = z.object({
  tool_call_id: z.string(),
  name: z.string(),
  ok: z.boolean(),
  result: z.unknown().optional(),
  error: z.string().optional(),
});

export const messageDto = z.object({
  id: z.uuid(),
  conversation_id: z.uuid(),
  role: z.enum(messageRoles),
  content: z.string(),
  status: z.enum(messageStatuses),
  tool_calls: z.array(toolCallDto).nullable(),
  tool_results: z.array(toolResultDto).nullable(),
  created_at: z.string(),
});
export type MessageDto = z.infer<typeof messageDto>;

/** A reply in progress exactly as far as `seq` (−1 and no content before its first delta), as `conversation:join` reports it. */
export interface StreamingSnapshot {
  messageId: string;
  seq: number;
  content: string;
  tool_calls: MessageDto['tool_calls'];
  tool_results: MessageDto['tool_results'];
}

/** A tool call held for the user's approval (shown on every tab until one answers it). */
export const pendingApprovalDto = z.object({
  messageId: z.uuid(),
  toolCallId: z.string(),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  summary: z.string(),
});
export type PendingApproval = z.infer<typeof pendingApprovalDto>;

export const conversationDto = z.object({
  id: z.uuid(),
  title: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  last_message: messageDto.nullable(),
});
export type ConversationDto = z.infer<typeof conversationDto>;

export const conversationTitle = z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters');
export const messageContent = z
  .string({ error: 'is required and must be a string' })
  .max(4000, 'must be at most 4000 characters')
  .refine((text) => text.trim().length > 0, 'must not be empty');

export const conversationIdParams = z.object({ id: uuid });
export const createConversationBody = z.object({ title: conversationTitle.optional() }).nullish();
export const renameConversationBody = z.object({ title: conversationTitle });
export const conversationListQuery = z.object({ limit: queryInt(1, 100, 20), cursor: z.string().max(500).optional() });
export const messagesQuery = z
  .object({ before: uuid.optional(), after: uuid.optional(), limit: queryInt(1, 100, 50) })
  .refine((query) => !(query.before && query.after), { path: ['after'], error: 'cannot be combined with before' });

export const searchQuery = z.object({
  q: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  limit: queryInt(1, 50, 20),
  cursor: z.string().max(100).optional(),
});
export type SearchQuery = z.infer<typeof searchQuery>;

export const searchResult = z.object({
  conversation: z.object({ id: z.uuid(), title: z.string() }),
  message: z.object({ id: z.uuid(), role: z.enum(messageRoles), created_at: z.string() }).nullable(),
  snippet: z.string().describe('The matching text, HTML-escaped, with the matched words in <mark>…</mark>'),
});
export type SearchResult = z.infer<typeof searchResult>;
