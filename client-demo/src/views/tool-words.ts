// A tool call and its result in words, as a tool card says them: "Added #3 Buy oat milk — high, due
// Wed, Dec 2", "Completed #1 Pay rent", "Listed 4 pending tasks".
import type { MessageDto } from '../api.ts';

type ToolCall = NonNullable<MessageDto['tool_calls']>[number];
type ToolResult = NonNullable<MessageDto['tool_results']>[number];

/** A due date as people read it: a calendar date as its day, an instant in the browser's zone. */
export const readableDue = (due: string) =>
  due.length === 10
    ? new Date(`${due}T00:00:00Z`).toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' })
    : new Date(due).toLocaleString(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });

const done: Record<string, string> = {
  add_task: 'Added',
  complete_task: 'Completed',
  delete_task: 'Deleted',
  update_task: 'Updated',
  archive_task: 'Archived',
  move_task: 'Moved',
  add_comment: 'Commented on',
  snooze_reminder: 'Snoozed',
};
const doing: Record<string, string> = {
  add_task: 'Adding',
  complete_task: 'Completing',
  delete_task: 'Deleting',
  update_task: 'Updating',
  archive_task: 'Archiving',
  move_task: 'Moving',
  list_tasks: 'Looking at your tasks',
  undo: 'Undoing',
  add_comment: 'Commenting',
  list_comments: 'Reading the comments',
  snooze_reminder: 'Snoozing',
};

/** What a call asked besides the task: priority, due date, repeat, reminder, labels, assignee. */
function extras(args: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof args.priority === 'string' && args.priority !== 'medium') parts.push(args.priority);
  if (typeof args.due_date === 'string') parts.push(`due ${readableDue(args.due_date)}`);
  if (args.due_date === null) parts.push('no due date');
  if (typeof args.recurrence === 'string') parts.push('repeats');
  if (args.recurrence === null) parts.push('stops repeating');
  if (typeof args.remind === 'number' || typeof args.remind === 'string') parts.push('with a reminder');
  if (typeof args.assignee === 'string') parts.push(`for ${args.assignee}`);
  if (Array.isArray(args.labels) && args.labels.length) parts.push(`labels ${args.labels.join(', ')}`);
  if (typeof args.title === 'string' && args.task_number !== undefined) parts.push(`renamed “${args.title}”`);
  return parts.length ? ` — ${parts.join(', ')}` : '';
}

export function toolSentence(call: ToolCall, result: ToolResult | undefined): string {
  const args = call.arguments;
  if (!result) return `${doing[call.name] ?? `Running ${call.name}`}…`;
  if (!result.ok) return `Couldn’t ${(doing[call.name] ?? call.name).toLowerCase()}: ${result.error ?? 'it failed'}`;
  const output = (result.result ?? {}) as Record<string, unknown>;
  const task = output.task_number !== undefined ? `#${String(output.task_number)} ${String(output.title ?? '')}`.trim() : '';
  switch (call.name) {
    case 'list_tasks': {
      const count = Array.isArray(output.tasks) ? output.tasks.length : 0;
      const which = typeof args.status === 'string' && args.status !== 'all' ? `${args.status} ` : '';
      const when = typeof args.due === 'string' ? ` (${args.due})` : '';
      return `Listed ${count} ${which}task${count === 1 ? '' : 's'}${when}`;
    }
    case 'undo': {
      const undone = Array.isArray(output.undone) ? output.undone.length : 0;
      return `Undid ${undone} change${undone === 1 ? '' : 's'}`;
    }
    case 'list_comments': {
      const count = Array.isArray(output.comments) ? output.comments.length : 0;
      return `Read ${count} comment${count === 1 ? '' : 's'} on ${task}`;
    }
    default:
      return `${done[call.name] ?? call.name}${task ? ` ${task}` : ''}${call.name === 'add_task' || call.name === 'update_task' ? extras(args) : ''}`;
  }
}
