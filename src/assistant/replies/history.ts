// The conversation as the model reads it: the latest messages before a reply, tool calls and their
// results replayed exactly as the live turn showed them.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Message } from '../../db/entities/index.ts';
import { executeBound } from '../../db/sql.ts';
import type { Timestamp } from '../../shared/timestamps.ts';
import { toolResultContent } from '../agent.ts';
import type { ChatMessage } from '../provider.ts';

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
  return rows.reverse().flatMap((message): ChatMessage[] => {
    if (message.role === 'user') return [{ role: 'user', content: message.content }];
    const calls = message.toolCalls ?? [];
    const results = new Map((message.toolResults ?? []).map((result) => [result.tool_call_id, result]));
    const answered = calls.filter((call) => results.has(call.id));
    const turns: ChatMessage[] = [];
    if (answered.length) {
      turns.push({
        role: 'assistant',
        content: null,
        tool_calls: answered.map((call) => ({ id: call.id, name: call.name, arguments: JSON.stringify(call.arguments) })),
      });
      for (const call of answered) turns.push({ role: 'tool', tool_call_id: call.id, content: toolResultContent(results.get(call.id)!) });
    }
    if (message.content) turns.push({ role: 'assistant', content: message.content });
    return turns;
  });
}
