// Acting on tasks a request names (complete, delete, update): titles looked up when needed, each
// reference resolved to a number ("it" from the conversation), one tool call per task, then a
// confirmation of each — shared by the intents that act on existing tasks.
import type { TaskPriority } from '../../../db/entities/index.ts';
import type { ToolName } from '../../tools/index.ts';
import { declinedError } from '../../tools/runner.ts';
import { targetOf } from './dialogue.ts';
import type { ActingKind, Dialogue, Intent, ListedTask, PlannedCall, Step, Target, TaskReference, Turn } from './grammar.ts';
import { matchTasks } from './matching.ts';
import { ambiguousReply, confirmationReply, formatDue, noMatchReply, noReferentReply, notFoundReply, nothingToChangeReply } from './replies.ts';

/** What a call changed, as a confirmation says it: " (renamed to …, priority high, due Fri, Nov 27)". */
export function describeChanges(args: Record<string, unknown>, timeZone: string): string {
  const parts: string[] = [];
  if (args.title) parts.push(`renamed to "${String(args.title)}"`);
  if (args.priority) parts.push(`priority ${String(args.priority)}`);
  if (args.description) parts.push('with your note');
  if (args.due_date) parts.push(`due ${formatDue(String(args.due_date), timeZone)}`);
  if (args.due_date === null) parts.push('no due date');
  if (args.completed === false) parts.push('marked as not done');
  if (typeof args.assignee === 'string') parts.push(`assigned to ${args.assignee}`);
  if (args.assignee === null) parts.push('unassigned');
  if (Array.isArray(args.labels)) parts.push(args.labels.length ? `labels: ${args.labels.join(', ')}` : 'no labels');
  if (typeof args.recurrence === 'string') parts.push(`repeating ${describeRule(args.recurrence)}`);
  if (args.recurrence === null) parts.push('no longer repeating');
  if (typeof args.remind === 'number') parts.push(args.remind === 0 ? "I'll remind you then" : `I'll remind you ${args.remind} minutes before`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

const dayNames: Record<string, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };

/** An RRULE in words: "every Monday", "every other week", "on day 1 of every month". */
export function describeRule(rule: string): string {
  const parts = Object.fromEntries(rule.split(';').map((part) => part.split('=') as [string, string]));
  const unit = { DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year', HOURLY: 'hour' }[parts.FREQ ?? ''] ?? 'time';
  const every = parts.INTERVAL === '2' ? `every other ${unit}` : parts.INTERVAL ? `every ${parts.INTERVAL} ${unit}s` : `every ${unit}`;
  if (parts.BYDAY === 'MO,TU,WE,TH,FR') return 'every weekday';
  if (parts.BYDAY && !parts.INTERVAL)
    return `every ${parts.BYDAY.split(',')
      .map((day) => dayNames[day] ?? day)
      .join(' and ')}`;
  if (parts.BYMONTHDAY) return `on day ${parts.BYMONTHDAY} of ${every.replace('every ', 'every ')}`;
  return every;
}

export const callsStep = (...calls: PlannedCall[]): Step => ({ calls });

/** Every task, to resolve titles against. */
export const lookup = () => callsStep({ name: 'list_tasks', args: { status: 'all', limit: 200 } });

/** A reference to tasks the conversation named: "it", "them", "the third one"; else what to say. */
function fromDialogue(ref: TaskReference, dialogue: Dialogue): Target[] | string | undefined {
  if ('it' in ref) return dialogue.focus.length === 1 ? dialogue.focus : noReferentReply();
  if ('them' in ref) return dialogue.focus.length ? dialogue.focus : noReferentReply();
  if (!('position' in ref)) return undefined;
  const { order } = dialogue;
  // Without a listing to count in, "the first one" is task #1 and "the last one" the task named last.
  if (!order) return ref.position > 0 ? [{ number: ref.position }] : dialogue.focus.length === 1 ? dialogue.focus : noReferentReply();
  const task = order.at(ref.position > 0 ? ref.position - 1 : ref.position);
  return task ? [task] : `There ${order.length === 1 ? 'was only one task' : `were only ${order.length} tasks`}. Which one do you mean?`;
}

/**
 * The one task a reference means: as given, from the conversation ("it", "the third one"), a title
 * matched in the turn's listing (undefined until there is one: look it up); else what to say.
 */
export function targetOfRef(ref: TaskReference, { outcomes, dialogue }: Pick<Turn, 'outcomes' | 'dialogue'>): Target | string | undefined {
  if ('number' in ref) return ref;
  const named = fromDialogue(ref, dialogue);
  if (typeof named === 'string') return named;
  if (named) return named.length === 1 ? named[0] : noReferentReply();
  if (!('phrase' in ref)) return undefined;
  const listed = outcomes.find((outcome) => outcome.name === 'list_tasks')?.output.tasks as ListedTask[] | undefined;
  if (!listed) return undefined;
  const matches = matchTasks(ref.phrase, listed);
  return matches.length === 1 ? targetOf(matches[0]!) : noMatchReply(ref.phrase);
}

/** A task as a tool's arguments name it. */
export const whereOf = ({ number, list }: Target) => ({ task_number: number, ...(list ? { list } : {}) });

/** Tasks for references: numbers as given, tasks the conversation named, titles from the lookup (in whatever list). */
function resolve(refs: TaskReference[], dialogue: Dialogue, listed: ListedTask[] | undefined, timeZone: string) {
  const targets = new Map<string, Target>();
  const add = (target: Target) => targets.set(`${target.list ?? ''}#${target.number}`, target);
  const problems: string[] = [];
  for (const ref of refs) {
    if ('number' in ref) {
      add(ref);
      continue;
    }
    const named = fromDialogue(ref, dialogue);
    if (typeof named === 'string') problems.push(named);
    else if (named) named.forEach(add);
    else if ('phrase' in ref) {
      const matches = matchTasks(ref.phrase, listed ?? []);
      if (matches.length === 1) add(targetOf(matches[0]!));
      else problems.push(matches.length === 0 ? noMatchReply(ref.phrase) : ambiguousReply(ref.phrase, matches, timeZone));
    }
  }
  return { targets: [...targets.values()], problems: [...new Set(problems)] };
}

const priorityOrder: TaskPriority[] = ['low', 'medium', 'high', 'urgent'];

/** The next step of a turn that acts on (completes, deletes, changes…) the tasks its request names, through the intent's own tool. */
export function actOn(intent: Extract<Intent, { kind: ActingKind | 'update' }>, { outcomes, dialogue, clock }: Turn): Step {
  const tool = `${intent.kind}_task` as ToolName;
  const refs = intent.kind === 'update' ? [intent.ref] : intent.refs;
  if (intent.kind === 'update' && Object.keys(intent.changes).length === 0) {
    const target = targetOfRef(intent.ref, { outcomes, dialogue });
    return { say: typeof target === 'object' ? nothingToChangeReply(target.number) : (target ?? noReferentReply()) };
  }
  const listed = outcomes.find((outcome) => outcome.name === 'list_tasks')?.output.tasks as ListedTask[] | undefined;
  // A relative change (a priority step, a label added or taken off) starts from what the task has: the lookup says.
  const relative = intent.kind === 'update' && (intent.changes.priorityStep !== undefined || intent.changes.labelsAdded || intent.changes.labelsRemoved);
  const needsLookup = refs.some((ref) => 'phrase' in ref) || relative;
  if (needsLookup && !listed) return lookup();
  const { targets, problems } = resolve(refs, dialogue, listed, clock.timeZone);
  const acted = outcomes.filter((outcome) => outcome.name === tool);
  if (acted.length === 0 && targets.length > 0) {
    return callsStep(
      ...targets.map(({ number, list }): PlannedCall => {
        const where = whereOf({ number, list });
        if (intent.kind !== 'update') return { name: tool, args: where };
        const { priorityStep, labelsAdded, labelsRemoved, ...changes } = intent.changes;
        const current = listed?.find((task) => {
          const target = targetOf(task);
          return target.number === number && target.list === list;
        });
        if (priorityStep) {
          const index = priorityOrder.indexOf((current?.priority as TaskPriority | undefined) ?? 'medium') + priorityStep;
          changes.priority = priorityOrder[Math.min(Math.max(index, 0), priorityOrder.length - 1)];
        }
        const labels =
          labelsAdded || labelsRemoved
            ? {
                labels: [...new Set([...(current?.labels ?? []), ...(labelsAdded ?? [])])].filter(
                  (label) => !(labelsRemoved ?? []).some((removed) => removed.toLowerCase() === label.toLowerCase()),
                ),
              }
            : {};
        return { name: tool, args: { ...where, ...changes, ...labels } };
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
