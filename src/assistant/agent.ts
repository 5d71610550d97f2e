// The agent loop: stream a model round, run the tools it asks for, feed results back; at most 6 rounds.
import { z } from 'zod';
import type { StoredToolCall, StoredToolResult } from '../db/entities/index.ts';
import { AppError, type ErrorCode } from '../shared/errors.ts';
import type { AssistantProvider, ChatMessage, ProviderToolCall } from './provider.ts';
import type { Utf8Text } from './replies/utf8-text.ts';
import { type ToolContext, toolSpecs, toolsByName } from './tools/index.ts';

export const maxToolRounds = 6;
/** Between the text of two model rounds of one reply. */
const roundSeparator = '\n\n';

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
  /** The reply's text so far (a resumed reply's included): the run appends what it streams. */
  text: Utf8Text;
  sink: AgentSink;
  /** A reply going on after the user answered a held call. */
  resume?: { calls: ProviderToolCall[]; decision: Decision };
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

/** Whether a call waits for the user's approval: deleting a task, or clearing its due date or description. */
export function isDestructive(name: string, args: Record<string, unknown> | undefined): boolean {
  if (name === 'delete_task') return true;
  return name === 'update_task' && !!args && (args.due_date === null || args.description === null || args.description === '');
}

/** The user's answer to a held call, when a reply resumes after it. */
export interface Decision {
  toolCallId: string;
  approved: boolean;
}

/** How a run ended: the model answered, or a call waits for the user's approval (the calls after it wait too). */
export type AgentOutcome = { done: true } | { done: false; held: ProviderToolCall };

export const declinedError = 'The user declined this action; it was not done.';

/**
 * Runs a round's calls in order. A destructive call of a user who asked for approvals is held
 * (returned) unless `decision` answers it; a declined call gets a "declined" result instead of running.
 */
async function runCalls(
  calls: ProviderToolCall[],
  run: Pick<AgentRun, 'context' | 'sink' | 'signal'> & { transcript: ChatMessage[]; announce: boolean; decision?: Decision },
): Promise<ProviderToolCall | undefined> {
  for (const call of calls) {
    // A stop that came before this call starts prevents it (one already running finishes).
    run.signal.throwIfAborted();
    const args = parseArguments(call.arguments);
    if (run.announce) run.sink.toolCall({ id: call.id, name: call.name, arguments: args ?? {} });
    const decided = run.decision?.toolCallId === call.id ? run.decision : undefined;
    if (!decided && run.context.confirmDestructive && isDestructive(call.name, args)) return call;
    const result: StoredToolResult =
      decided && !decided.approved ? { tool_call_id: call.id, name: call.name, ok: false, error: declinedError } : await runTool(call, args, run.context);
    run.sink.toolResult(result);
    run.transcript.push({ role: 'tool', tool_call_id: call.id, content: toolResultContent(result) });
  }
  return undefined;
}

/**
 * Drives the provider until it answers without tools (or the round limit), streaming through the
 * sink. A reply resuming after an approval passes the calls still unanswered (the held one first)
 * and the user's decision; `messages` then ends with the turn so far.
 */
export async function runAgent({ provider, messages, context, now, signal, text, sink, resume }: AgentRun): Promise<AgentOutcome> {
  const transcript = [...messages];
  if (resume) {
    const held = await runCalls(resume.calls, { context, sink, signal, transcript, announce: false, decision: resume.decision });
    if (held) return { done: false, held };
  }
  for (let round = 0; round < maxToolRounds + 1; round++) {
    /** Where this round's text begins in the reply's, once it has some (read back should the round end in tool calls). */
    let roundStart: number | undefined;
    const tools = round < maxToolRounds ? toolSpecs : [];
    // A stop that came before this round (even before the first) ends the reply here.
    signal.throwIfAborted();
    // Called for every delta of the reply: the text and the sink directly, no layer between (a shared
    // `write(piece)` closure for both measured 3% more CPU per delta, side by side).
    const calls = await provider.stream({ messages: transcript, tools, signal, now, timeZone: context.timeZone }, (delta) => {
      if (!delta) return;
      if (roundStart === undefined) {
        // Keep the text of successive rounds apart.
        if (!text.isEmpty) {
          text.append(roundSeparator);
          sink.text(roundSeparator);
        }
        roundStart = text.byteLength;
      }
      text.append(delta);
      sink.text(delta);
    });
    if (calls.length === 0) return { done: true };
    transcript.push({ role: 'assistant', content: roundStart === undefined ? null : text.since(roundStart), tool_calls: calls });
    const held = await runCalls(calls, { context, sink, signal, transcript, announce: true });
    if (held) return { done: false, held };
  }
  return { done: true };
}
