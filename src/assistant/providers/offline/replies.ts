// What the offline assistant says: confirmations, listings, questions and small talk.
import { DateTime } from 'luxon';
import type { Intent, IntentKind, ListedTask } from './grammar.ts';

/** A due date as the user reads it: "Wed, Nov 25" for a calendar date, "Wed, Nov 25 at 5:00 PM" in their zone for an instant. */
export function formatDue(due: string | null, timeZone: string): string {
  if (!due) return '';
  if (due.length === 10) return DateTime.fromISO(due, { zone: 'UTC' }).toFormat('ccc, LLL d');
  return DateTime.fromISO(due, { setZone: true }).setZone(timeZone).toFormat("ccc, LLL d 'at' h:mm a");
}

const describeTask = (task: ListedTask, timeZone: string) =>
  [
    `#${task.number} ${task.title}`,
    task.status === 'completed' ? '(done)' : '',
    task.priority !== 'medium' ? `[${task.priority}]` : '',
    task.due_date ? `— due ${formatDue(task.due_date, timeZone)}` : '',
  ]
    .filter(Boolean)
    .join(' ');

const dueWords = { today: ' due today', overdue: ' overdue', week: ' due this week', upcoming: ' coming up', none: ' without a due date' } as const;

export function listingReply(intent: Extract<Intent, { kind: 'list' }>, tasks: ListedTask[], timeZone: string): string {
  const which = intent.status === 'pending' ? 'pending ' : intent.status === 'completed' ? 'completed ' : '';
  const about = intent.search ? ` matching "${intent.search}"` : '';
  const priority = intent.priority ? `${intent.priority}-priority ` : '';
  const when = intent.due ? dueWords[intent.due] : '';
  if (tasks.length === 0) {
    return intent.status === 'completed' && !about
      ? "You haven't completed any tasks yet. You've got this!"
      : `You don't have any ${priority}${which}tasks${about}${when}. Say "add …" to create one.`;
  }
  const noun = tasks.length === 1 ? 'task' : 'tasks';
  if (intent.count) return `You have ${tasks.length} ${priority}${which}${noun}${about}${when}.`;
  return [`You have ${tasks.length} ${priority}${which}${noun}${about}${when}:`, ...tasks.map((task) => `- ${describeTask(task, timeZone)}`)].join('\n');
}

/** How the assistant asks which of several tasks a request meant: the dialogue knows its question by it. */
export const whichOneQuestion = 'Which one do you mean? You can tell me its number.';

export function ambiguousReply(phrase: string, tasks: ListedTask[], timeZone: string): string {
  return [
    `I found ${tasks.length} tasks matching "${phrase}":`,
    ...tasks.slice(0, 10).map((task) => `- ${describeTask(task, timeZone)}`),
    whichOneQuestion,
  ].join('\n');
}

export const noMatchReply = (phrase: string) => `I couldn't find a task matching "${phrase}". Say "show my tasks" to see them all.`;

export const notFoundReply = (number: number) => `I couldn't find task #${number}. It may have been deleted — say "show my tasks" to see the numbers.`;

export const noReferentReply = () => 'Which task do you mean? Tell me its number or a few words of its title.';

export const nothingToChangeReply = (number: number) =>
  `What should I change on task #${number}? For example "rename it to …", "make it urgent" or "move it to Friday".`;

export function chatReply(intent: Extract<Intent, { kind: 'chat' }>): string {
  switch (intent.topic) {
    case 'greeting':
      return 'Hi! I can add, list, complete, update and delete your tasks. What would you like to do?';
    case 'farewell':
      return 'Okay! I am here whenever you need me.';
    case 'thanks':
      return "You're welcome! Anything else on your list?";
    case 'identity':
      return "I'm taskstream, your todo assistant. Tell me what you need to do and I'll keep track of it.";
    case 'wellbeing':
      return "I'm doing great, thanks for asking! Want to go over your tasks?";
    case 'help':
      return 'I can help with your tasks. Try "add buy milk tomorrow", "what\'s pending?", "mark task 2 as done", "rename task 3 to Call mom" or "delete the groceries task".';
    default:
      return intent.suggestion
        ? `I'm not sure what you'd like me to do. To add it as a task, say "add ${intent.suggestion}". I can also list, complete, update and delete tasks.`
        : "I'm not sure what you mean. I can add, list, complete, update and delete tasks.";
  }
}

/** What a tool did to a task, confirmed; a tool without words of its own here says its result's status ("Archived task #4 …"). */
export function confirmationReply(kind: IntentKind, result: { task_number: number; title: string; status?: string }, extra = ''): string {
  const task = `task #${result.task_number} "${result.title}"`;
  switch (kind) {
    case 'add':
      return `Added ${task}${extra}.`;
    case 'complete':
      return `Nice work! I marked ${task} as complete.`;
    case 'delete':
      return `Deleted ${task}.`;
    case 'update':
      return `Updated ${task}${extra}.`;
    default: {
      const done = result.status ?? kind;
      return `${done.charAt(0).toUpperCase()}${done.slice(1)} ${task}${extra}.`;
    }
  }
}
