// The agent loop: stream a model round, run the tools it asks for, feed results back; at most 6 rounds.
import { z } from 'zod';
import type { StoredToolCall, StoredToolResult } from '../db/entities/index.ts';
import { AppError, type ErrorCode } from '../shared/errors.ts';
import type { AssistantProvider, ChatMessage, ProviderToolCall } from './provider.ts';
import { type ToolContext, toolSpecs, toolsByName } from './tools/index.ts';

export const maxToolRounds = 6;

export interface AgentSink {
  text(text: string): void;
  toolCall(call: StoredToolCall): void;
  toolResult(result: StoredToolResult): void;
}

export interface AgentRun {
  provider: AssistantProvider;
  messages: ChatMessage[];
  context: ToolContext;
  /** The moment of the turn (the user's zone is the context's). */
  now: Date;
  signal: AbortSignal;
  sink: AgentSink;
}

function parseArguments(raw: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(raw || '{}') as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** What running a tool gives: its result, or a coded error its caller can read. */
export type ToolOutcome = { ok: true; result: unknown } | { ok: false; code: ErrorCode; error: string };

/**
 * Runs one tool by name for the user of `context`, with raw arguments: the one path of the assistant
 * and of MCP. Unknown tools, bad arguments and the service's refusals become a coded error, never an
 * exception; only failures of the server itself (database down) throw.
 */
export async function executeTool(name: string, args: unknown, context: ToolContext): Promise<ToolOutcome> {
  const tool = toolsByName.get(name);
  if (!tool) return { ok: false, code: 'NOT_FOUND', error: `Unknown tool "${name}"` };
  if (!args || typeof args !== 'object' || Array.isArray(args)) return { ok: false, code: 'VALIDATION_ERROR', error: 'The arguments are not a JSON object' };
  const call = tool.prepare(context, args);
  if (!call.ok) return { ok: false, code: 'VALIDATION_ERROR', error: `Invalid arguments: ${z.prettifyError(call.error).replace(/\n/g, ' ')}` };
  try {
    return { ok: true, result: await call.run() };
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      const detail =
        error.code === 'NOT_FOUND' && typeof call.input === 'object' && call.input && 'task_number' in call.input
          ? `Task ${String(call.input.task_number)} not found`
          : error.message;
      return { ok: false, code: error.code, error: detail };
    }
    throw error;
  }
}

/** What the model reads of a tool's result: the same in the live turn and when the history is replayed. */
export const toolResultContent = (result: StoredToolResult) => JSON.stringify(result.ok ? result.result : { error: result.error });

/** One tool call of the model, as the conversation stores it. */
async function runTool(call: ProviderToolCall, args: Record<string, unknown> | undefined, context: ToolContext): Promise<StoredToolResult> {
  const outcome = await executeTool(call.name, args, context);
  const base = { tool_call_id: call.id, name: call.name };
  return outcome.ok ? { ...base, ok: true, result: outcome.result } : { ...base, ok: false, error: outcome.error };
}

/** Drives the provider until it answers without tools (or the round limit), streaming through the sink. */
export async function runAgent({ provider, messages, context, now, signal, sink }: AgentRun): Promise<void> {
  const transcript = [...messages];
  let wroteText = false;
  for (let round = 0; round < maxToolRounds + 1; round++) {
    let roundText = '';
    let calls: ProviderToolCall[] = [];
    const tools = round < maxToolRounds ? toolSpecs : [];
    // A stop that came before this round (even before the first) ends the reply here.
    signal.throwIfAborted();
    for await (const event of provider.stream({ messages: transcript, tools, signal, now, timeZone: context.timeZone })) {
      if (event.type === 'text') {
        if (!event.text) continue;
        // Keep the text of successive rounds apart.
        if (!roundText && wroteText) sink.text('\n\n');
        roundText += event.text;
        wroteText = true;
        sink.text(event.text);
      } else {
        calls = event.calls;
      }
    }
    if (calls.length === 0) return;
    transcript.push({ role: 'assistant', content: roundText || null, tool_calls: calls });
    for (const call of calls) {
      const args = parseArguments(call.arguments);
      sink.toolCall({ id: call.id, name: call.name, arguments: args ?? {} });
      const result = await runTool(call, args, context);
      sink.toolResult(result);
      transcript.push({ role: 'tool', tool_call_id: call.id, content: toolResultContent(result) });
    }
  }
}
