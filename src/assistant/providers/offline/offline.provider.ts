// The built-in assistant without a language model: reads English requests deterministically,
// makes the same tool calls through the same agent loop, and streams its reply word by word.
import { setTimeout as sleep } from 'node:timers/promises';
import type { TaskPriority } from '../../../db/entities/index.ts';
import type { AssistantProvider, ChatMessage, ProviderRequest, ProviderToolCall } from '../../provider.ts';
import { declinedError } from '../../tools/runner.ts';
import { matchTasks } from './matching.ts';
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
import { type TaskReference, understand } from './understand.ts';
import type { Clock } from './when.ts';

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

export type Step = { calls: { name: string; args: Record<string, unknown> }[] } | { say: string };

const calls = (...list: { name: string; args: Record<string, unknown> }[]): Step => ({ calls: list });

function describeChanges(args: Record<string, unknown>, timeZone: string): string {
  const parts: string[] = [];
  if (args.title) parts.push(`renamed to "${String(args.title)}"`);
  if (args.priority) parts.push(`priority ${String(args.priority)}`);
  if (args.due_date) parts.push(`due ${formatDue(String(args.due_date), timeZone)}`);
  if (args.due_date === null) parts.push('no due date');
  if (args.completed === false) parts.push('marked as not done');
  return parts.length ? ` (${parts.join(', ')})` : '';
}

const actionTool = { complete: 'complete_task', delete: 'delete_task', update: 'update_task' } as const;
const lookup = () => calls({ name: 'list_tasks', args: { status: 'all', limit: 200 } });

/** Task numbers for references: numbers as given, "it" from the conversation, titles from the lookup. */
function resolve(refs: TaskReference[], earlier: ChatMessage[], listed: ListedTask[] | undefined, timeZone: string) {
  const numbers: number[] = [];
  const problems: string[] = [];
  for (const ref of refs) {
    if ('number' in ref) numbers.push(ref.number);
    else if ('it' in ref) {
      const number = lastMentionedTask(earlier);
      if (number) numbers.push(number);
      else problems.push(noReferentReply());
    } else {
      const matches = matchTasks(ref.phrase, listed ?? []);
      if (matches.length === 1) numbers.push(matches[0]!.number);
      else problems.push(matches.length === 0 ? noMatchReply(ref.phrase) : ambiguousReply(ref.phrase, matches, timeZone));
    }
  }
  return { numbers: [...new Set(numbers)], problems };
}

const priorityOrder: TaskPriority[] = ['low', 'medium', 'high', 'urgent'];

/** Decides the next step of a turn from the request and what the tools answered so far. */
export function nextStep(messages: ChatMessage[], clock: Clock): Step {
  const { request, outcomes, earlier } = outcomesOfTurn(messages);
  const intent = understand(request, clock);
  switch (intent.kind) {
    case 'chat':
      return { say: chatReply(intent) };
    case 'add':
      if (outcomes.length === 0) return calls(...intent.tasks.map((task) => ({ name: 'add_task', args: { ...task } })));
      return {
        say: outcomes
          .map((outcome) =>
            outcome.output.error
              ? `I couldn't add "${String(outcome.args.title)}": ${String(outcome.output.error)}`
              : confirmationReply(
                  'add',
                  outcome.output as never,
                  describeChanges({ priority: outcome.args.priority, due_date: outcome.args.due_date }, clock.timeZone),
                ),
          )
          .join('\n'),
      };
    case 'list': {
      const last = outcomes.at(-1);
      if (!last)
        return calls({
          name: 'list_tasks',
          args: { status: intent.status, ...(intent.priority ? { priority: intent.priority } : {}), ...(intent.search ? { search: intent.search } : {}) },
        });
      return { say: listingReply(intent, (last.output.tasks as ListedTask[]) ?? [], clock.timeZone) };
    }
    default: {
      const tool = actionTool[intent.kind];
      const refs = intent.kind === 'update' ? [intent.ref] : intent.refs;
      if (intent.kind === 'update' && Object.keys(intent.changes).length === 0) {
        const ref = intent.ref;
        const number = 'number' in ref ? ref.number : lastMentionedTask(earlier);
        return { say: number ? nothingToChangeReply(number) : noReferentReply() };
      }
      const listed = outcomes.find((outcome) => outcome.name === 'list_tasks')?.output.tasks as ListedTask[] | undefined;
      const needsLookup = refs.some((ref) => 'phrase' in ref) || (intent.kind === 'update' && intent.changes.priorityStep !== undefined);
      if (needsLookup && !listed) return lookup();
      const { numbers, problems } = resolve(refs, earlier, listed, clock.timeZone);
      const acted = outcomes.filter((outcome) => outcome.name === tool);
      if (acted.length === 0 && numbers.length > 0) {
        return calls(
          ...numbers.map((number) => {
            if (intent.kind !== 'update') return { name: tool, args: { task_number: number } };
            const { priorityStep, ...changes } = intent.changes;
            if (priorityStep) {
              const current = listed?.find((task) => task.number === number)?.priority as TaskPriority | undefined;
              const index = priorityOrder.indexOf(current ?? 'medium') + priorityStep;
              changes.priority = priorityOrder[Math.min(Math.max(index, 0), priorityOrder.length - 1)];
            }
            return { name: tool, args: { task_number: number, ...changes } };
          }),
        );
      }
      const done = acted.map((outcome) =>
        outcome.output.error === declinedError
          ? `Okay, I left task #${String(outcome.args.task_number)} as it is.`
          : outcome.output.error
            ? notFoundReply(Number(outcome.args.task_number))
            : confirmationReply(intent.kind, outcome.output as never, intent.kind === 'update' ? describeChanges(outcome.args, clock.timeZone) : ''),
      );
      return { say: [...done, ...problems].join('\n') };
    }
  }
}

export class OfflineProvider implements AssistantProvider {
  readonly name = 'offline';
  private callCount = 0;

  constructor(private readonly options: { wordDelayMs: number }) {}

  async stream({ messages, signal, now, timeZone }: ProviderRequest, onText: (text: string) => void): Promise<ProviderToolCall[]> {
    const step = nextStep(messages, { now, timeZone });
    if ('calls' in step) {
      return step.calls.map((call) => ({ id: `call_offline_${++this.callCount}`, name: call.name, arguments: JSON.stringify(call.args) }));
    }
    for (const word of step.say.match(/\S+\s*|\s+/g) ?? []) {
      signal.throwIfAborted();
      if (this.options.wordDelayMs > 0) await sleep(this.options.wordDelayMs, undefined, { signal });
      onText(word);
    }
    return [];
  }
}
