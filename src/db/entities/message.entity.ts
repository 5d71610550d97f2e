import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAt, uuidKey } from './columns.ts';
import { Conversation } from './conversation.entity.ts';
import { User } from './user.entity.ts';

export const messageRoles = ['user', 'assistant'] as const;
export const messageStatuses = ['complete', 'streaming', 'stopped', 'error', 'interrupted', 'awaiting_approval'] as const;
export type MessageRole = (typeof messageRoles)[number];
export type MessageStatus = (typeof messageStatuses)[number];

export interface StoredToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  /** For a call held for the user's approval: what it would do, in a sentence. */
  summary?: string;
}
export interface StoredToolResult {
  tool_call_id: string;
  name: string;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export const Message = defineEntity({
  name: 'Message',
  tableName: 'messages',
  properties: {
    id: uuidKey(),
    conversation: () => p.manyToOne(Conversation).deleteRule('cascade'),
    // Denormalised owner so every message query is scoped by user without a join.
    user: () => p.manyToOne(User).deleteRule('cascade'),
    role: p.enum(messageRoles),
    content: p.text().default(''),
    status: p.enum(messageStatuses).default('complete'),
    toolCalls: p.json<StoredToolCall[]>().nullable(),
    toolResults: p.json<StoredToolResult[]>().nullable(),
    // For an assistant message: the user message it answers (one reply per user message).
    replyTo: p.uuid().nullable(),
    // A streaming reply's text as checkpointed (content stays empty until it ends): no index reads it,
    // so a checkpoint is a HOT update (src/assistant/replies/checkpoints.ts).
    draft: p.text().nullable(),
    // The client's idempotency key for a sent message: a retry finds the row instead of adding one.
    clientId: p.uuid().nullable(),
    // The seq of the last delta streamed, kept while the reply waits for an approval so it resumes after it.
    lastSeq: p.integer().nullable(),
    createdAt: createdAt(),
    // Database time when a row is written, as every later refresh of a streaming row is: the sweep
    // that marks rows of dead processes compares it with the database's clock, never a server's.
    updatedAt: p
      .datetime(3)
      .defaultRaw('now()')
      .onUpdate(() => new Date()),
  },
  uniques: [
    { name: 'messages_user_id_client_id_unique', properties: ['user', 'clientId'] },
    { name: 'messages_reply_to_unique', properties: ['replyTo'] },
  ],
  checks: [{ name: 'messages_reply_to_check', expression: "reply_to is null or role = 'assistant'" }],
  indexes: [
    // Pages of a conversation are ordered by (created_at, id): the id in the index lets it serve the ORDER BY without a sort.
    { name: 'messages_conversation_id_created_at_id_index', properties: ['conversation', 'createdAt', 'id'] },
    { name: 'messages_status_index', properties: ['status'], where: "status = 'streaming'" },
    // The few messages waiting for an approval, found per conversation on every join without reading its history.
    { name: 'messages_awaiting_approval_index', properties: ['conversation', 'createdAt'], where: "status = 'awaiting_approval'" },
    // Full-text search over what was said (GET /api/search). Finished text only: a streaming row is
    // rewritten every second, and indexing it each time would cost more than its whole stream.
    {
      name: 'messages_search_index',
      expression: `create index "messages_search_index" on "messages" using gin (to_tsvector('english', "content")) where status <> 'streaming'`,
    },
  ],
});
export type Message = InferEntity<typeof Message>;
