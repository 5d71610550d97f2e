// The conversation as the model reads it: the latest messages before a reply, each turn's tool calls
// and their results replayed exactly as the live turn showed them (replayTurn).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Message } from '../../db/entities/index.ts';
import { executeBound } from '../../db/sql.ts';
import type { Timestamp } from '../../shared/timestamps.ts';
import type { ChatMessage } from '../provider.ts';
import { replayTurn } from './replay.ts';

const historyWindow = 30;

export async function loadHistory(em: EntityManager, conversationId: string, before: Timestamp): Promise<ChatMessage[]> {
  // Read-only and on every turn: plain rows, no entity hydration.
  const rows = await executeBound<Pick<Message, 'role' | 'content' | 'toolCalls' | 'toolResults'>>(
    em,
    `select role, content, tool_calls as "toolCalls", tool_results as "toolResults" from messages
     where conversation_id = $1 and created_at < $2 and not (role = 'assistant' and status = 'streaming')
     order by created_at desc, id desc limit $3`,
    [conversationId, before, historyWindow],
  );
  return rows
    .reverse()
    .flatMap((message): ChatMessage[] =>
      message.role === 'user' ? [{ role: 'user', content: message.content }] : replayTurn(message, { open: false }).messages,
    );
}
