// The agent loop: stream a model round, run the tools it asks for, feed results back; at most 6 rounds.
import type { StoredToolCall, StoredToolResult } from '../db/entities/index.ts';
import type { AssistantProvider, ChatMessage, ProviderToolCall } from './provider.ts';
import type { Utf8Text } from './replies/utf8-text.ts';
import { type ToolContext, toolSpecs } from './tools/index.ts';
import { declinedError, needsApproval, runToolCall, toolResultContent } from './tools/runner.ts';

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

/** The user's answer to a held call, when a reply resumes after it. */
export interface Decision {
  toolCallId: string;
  approved: boolean;
}

/** How a run ended: the model answered, or a call waits for the user's approval (the calls after it wait too). */
export type AgentOutcome = { done: true } | { done: false; held: ProviderToolCall };

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
    if (!decided && needsApproval(call.name, args, run.context)) return call;
    const result: StoredToolResult =
      decided && !decided.approved ? { tool_call_id: call.id, name: call.name, ok: false, error: declinedError } : await runToolCall(call, args, run.context);
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
    // Called for every delta of the reply: the text and the sink directly, no layer between (one call
    // fewer per delta; BENCHMARKS.md, "two calls fewer per delta").
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
