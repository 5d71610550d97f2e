// The built-in assistant without a language model: reads English requests deterministically,
// makes the same tool calls through the same agent loop, and streams its reply word by word.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AssistantProvider, ChatMessage, ProviderEvent, ProviderRequest } from '../../provider.ts';
import {
  ambiguousReply,
  chatReply,
  confirmationReply,
  formatDue,
  type ListedTask,
  listingReply,
  noMatchReply,
  noReferentReply,
  notFoundReply,
  nothingToChangeReply,
} from './replies.ts';
import { type Intent, type TaskReference, understand } from './understand.ts';

interface ToolOutcome {
  name: string;
  args: Record<string, unknown>;
  output: Record<string, unknown>;
}

/** The tool calls and results of the current turn (after the last user message), in order. */
function outcomesOfTurn(messages: ChatMessage[]): { request: string; outcomes: ToolOutcome[]; earlier: ChatMessage[] } {
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  const outcomes: ToolOutcome[] = [];
  const pending = new Map<string, { name: string; args: Record<string, unknown> }>();
  for (const message of messages.slice(lastUser + 1)) {
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) pending.set(call.id, { name: call.name, args: JSON.parse(call.arguments || '{}') });
    } else if (message.role === 'tool') {
      const call = pending.get(message.tool_call_id);
      if (call) outcomes.push({ ...call, output: JSON.parse(message.content) as Record<string, unknown> });
    }
  }
  return { request: lastUser >= 0 ? (messages[lastUser] as { content: string }).content : '', outcomes, earlier: messages.slice(0, Math.max(lastUser, 0)) };
}

/** "it": the task most recently named in the conversation's tool results. */
function lastMentionedTask(earlier: ChatMessage[]): number | undefined {
  for (const message of [...earlier].reverse()) {
    if (message.role !== 'tool') continue;
    const match = /"task_number":(\d+)/.exec(message.content);
    if (match) return Number(match[1]);
  }
  return undefined;
}

type Step = { call: { name: string; args: Record<string, unknown> } } | { say: string };

const call = (name: string, args: Record<string, unknown>): Step => ({ call: { name, args } });

function describeChanges(args: Record<string, unknown>): string {
  const parts: string[] = [];
  if (args.title) parts.push(`renamed to "${String(args.title)}"`);
  if (args.priority) parts.push(`priority ${String(args.priority)}`);
  if (args.due_date) parts.push(`due ${formatDue(String(args.due_date))}`);
  if (args.due_date === null) parts.push('no due date');
  if (args.completed === false) parts.push('marked as not done');
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function actionArgs(intent: Extract<Intent, { kind: 'complete' | 'delete' | 'update' }>, taskNumber: number): Record<string, unknown> {
  return intent.kind === 'update' ? { task_number: taskNumber, ...intent.changes } : { task_number: taskNumber };
}

const actionTool = { complete: 'complete_task', delete: 'delete_task', update: 'update_task' } as const;

/** Decides the next step of a turn from the request and what the tools answered so far. */
export function nextStep(messages: ChatMessage[], now: Date): Step {
  const { request, outcomes, earlier } = outcomesOfTurn(messages);
  const intent = understand(request, now);
  const last = outcomes.at(-1);
  switch (intent.kind) {
    case 'chat':
      return { say: chatReply(intent) };
    case 'add':
      if (!last)
        return call('add_task', {
          title: intent.title,
          ...(intent.priority ? { priority: intent.priority } : {}),
          ...(intent.due_date ? { due_date: intent.due_date } : {}),
        });
      return {
        say: last.output.error
          ? `I couldn't add that task: ${String(last.output.error)}`
          : confirmationReply('add', last.output as never, describeChanges({ priority: intent.priority, due_date: intent.due_date })),
      };
    case 'list':
      if (!last)
        return call('list_tasks', {
          status: intent.status,
          ...(intent.priority ? { priority: intent.priority } : {}),
          ...(intent.search ? { search: intent.search } : {}),
        });
      return { say: listingReply(intent, (last.output.tasks as ListedTask[]) ?? []) };
    default: {
      const ref: TaskReference = intent.ref;
      if (intent.kind === 'update' && Object.keys(intent.changes).length === 0) {
        const number = 'number' in ref ? ref.number : lastMentionedTask(earlier);
        return { say: number ? nothingToChangeReply(number) : noReferentReply() };
      }
      const acted = outcomes.find((outcome) => outcome.name === actionTool[intent.kind]);
      if (acted) {
        if (acted.output.error) return { say: notFoundReply(Number(acted.args.task_number)) };
        return { say: confirmationReply(intent.kind, acted.output as never, intent.kind === 'update' ? describeChanges(acted.args) : '') };
      }
      if ('number' in ref) return call(actionTool[intent.kind], actionArgs(intent, ref.number));
      if ('it' in ref) {
        const number = lastMentionedTask(earlier);
        return number ? call(actionTool[intent.kind], actionArgs(intent, number)) : { say: noReferentReply() };
      }
      // A reference by title: look it up first (completed tasks included), then act on a single match.
      if (!last) return call('list_tasks', { status: 'all', search: ref.phrase });
      const matches = (last.output.tasks as ListedTask[]) ?? [];
      const exact = matches.filter((task) => task.title.toLowerCase() === ref.phrase);
      const chosen = matches.length === 1 ? matches : exact.length === 1 ? exact : [];
      if (chosen.length === 1) return call(actionTool[intent.kind], actionArgs(intent, chosen[0]!.number));
      return { say: matches.length === 0 ? noMatchReply(ref.phrase) : ambiguousReply(ref.phrase, matches) };
    }
  }
}

export class OfflineProvider implements AssistantProvider {
  readonly name = 'offline';
  private callCount = 0;

  constructor(private readonly options: { wordDelayMs: number; now?: () => Date }) {}

  async *stream({ messages, signal }: ProviderRequest): AsyncIterable<ProviderEvent> {
    const step = nextStep(messages, this.options.now?.() ?? new Date());
    if ('call' in step) {
      yield { type: 'tool_calls', calls: [{ id: `call_offline_${++this.callCount}`, name: step.call.name, arguments: JSON.stringify(step.call.args) }] };
      return;
    }
    for (const word of step.say.match(/\S+\s*|\s+/g) ?? []) {
      signal.throwIfAborted();
      if (this.options.wordDelayMs > 0) await sleep(this.options.wordDelayMs, undefined, { signal });
      yield { type: 'text', text: word };
    }
  }
}
