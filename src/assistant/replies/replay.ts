// A stored turn (an assistant message with its tool calls and results) as the model read it: the one
// rebuilding the history before a reply and the turn a reply resumes after an approval.
import type { StoredToolCall, StoredToolResult } from '../../db/entities/index.ts';
import type { ChatMessage, ProviderToolCall } from '../provider.ts';
import { toolResultContent } from '../tools/runner.ts';

export interface StoredTurn {
  content: string;
  toolCalls?: readonly StoredToolCall[] | null;
  toolResults?: readonly StoredToolResult[] | null;
}

const asProviderCall = (call: StoredToolCall): ProviderToolCall => ({ id: call.id, name: call.name, arguments: JSON.stringify(call.arguments) });

/**
 * The turn's messages. A finished turn (history) replays the calls that were answered, their
 * results, then its text. An open turn (a reply resuming after its user answered a held call) is
 * where the model left it: its text so far with every call it made, the results there are, and the
 * calls still unanswered (the held one first).
 */
export function replayTurn(turn: StoredTurn, { open }: { open: boolean }): { messages: ChatMessage[]; unanswered: ProviderToolCall[] } {
  const results = new Map((turn.toolResults ?? []).map((result) => [result.tool_call_id, result]));
  const calls = turn.toolCalls ?? [];
  const answered = calls.filter((call) => results.has(call.id));
  const shown = open ? calls : answered;
  const messages: ChatMessage[] = [];
  if (shown.length) messages.push({ role: 'assistant', content: open ? turn.content || null : null, tool_calls: shown.map(asProviderCall) });
  for (const call of answered) messages.push({ role: 'tool', tool_call_id: call.id, content: toolResultContent(results.get(call.id)!) });
  if (!open && turn.content) messages.push({ role: 'assistant', content: turn.content });
  return { messages, unanswered: calls.filter((call) => !results.has(call.id)).map(asProviderCall) };
}
