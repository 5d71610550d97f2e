// Running a tool: the one path of the assistant (every provider) and of MCP, from raw arguments to a
// coded outcome; what the model reads of it; and a held call's approval policy, read from the tool.
import { z } from 'zod';
import type { StoredToolCall, StoredToolResult } from '../../db/entities/index.ts';
import { AppError, type ErrorCode } from '../../shared/errors.ts';
import type { ProviderToolCall } from '../provider.ts';
import { type ToolContext, toolsByName } from './index.ts';
import { taskRefOf } from './tool.ts';

/** What running a tool gives: its result, or a coded error its caller can read. */
export type ToolOutcome = { ok: true; result: unknown } | { ok: false; code: ErrorCode; error: string };

/**
 * Runs one tool by name for the user of `context`, with raw arguments. Unknown tools, bad arguments
 * and the service's refusals become a coded error, never an exception; only failures of the server
 * itself (database down) throw.
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

/** One tool call of the model, run, as the conversation stores its result. */
export async function runToolCall(call: ProviderToolCall, args: Record<string, unknown> | undefined, context: ToolContext): Promise<StoredToolResult> {
  const outcome = await executeTool(call.name, args, context);
  const base = { tool_call_id: call.id, name: call.name };
  return outcome.ok ? { ...base, ok: true, result: outcome.result } : { ...base, ok: false, error: outcome.error };
}

/** What the model reads of a tool's result: the same in the live turn and when the history is replayed. */
export const toolResultContent = (result: StoredToolResult) => JSON.stringify(result.ok ? result.result : { error: result.error });

/** The result of a held call its user refused. */
export const declinedError = 'The user declined this action; it was not done.';

/** Whether a call waits for its user's approval: the user asked for approvals, and the tool says the call is destructive. */
export const needsApproval = (name: string, args: Record<string, unknown> | undefined, context: ToolContext) =>
  !!context.confirmDestructive && !!args && (toolsByName.get(name)?.destructive(args) ?? false);

/** What a held call would do, in the words of the approval card (its tool's own). */
export async function summarizeCall(call: StoredToolCall, context: ToolContext): Promise<string> {
  const number = Number(call.arguments.task_number);
  const list = typeof call.arguments.list === 'string' ? call.arguments.list : undefined;
  const task =
    Number.isInteger(number) && number > 0
      ? await taskRefOf(context, { task_number: number, list })
          .then((ref) => context.tasks.get(context.userId, ref))
          .catch(() => undefined)
      : undefined;
  return toolsByName.get(call.name)?.summarize(call.arguments, task) ?? `Run ${call.name}?`;
}
