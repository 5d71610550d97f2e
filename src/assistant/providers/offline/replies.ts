// What the offline assistant says: confirmations, listings, questions and small talk.
import type { Intent } from './understand.ts';

export interface ListedTask {
  number: number;
  title: string;
  status: string;
  priority: string;
  due_date: string | null;
}

const dayFormat = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
const timeFormat = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });

export function formatDue(due: string | null): string {
  if (!due) return '';
  const date = new Date(due);
  const hasTime = date.getUTCHours() !== 0 || date.getUTCMinutes() !== 0;
  const day = dayFormat.format(date);
  return hasTime ? `${day} at ${timeFormat.format(date)}` : day;
}

const describeTask = (task: ListedTask) =>
  [
    `#${task.number} ${task.title}`,
    task.status === 'completed' ? '(done)' : '',
    task.priority !== 'medium' ? `[${task.priority}]` : '',
    task.due_date ? `— due ${formatDue(task.due_date)}` : '',
  ]
    .filter(Boolean)
    .join(' ');

export function listingReply(intent: Extract<Intent, { kind: 'list' }>, tasks: ListedTask[]): string {
  const which = intent.status === 'pending' ? 'pending ' : intent.status === 'completed' ? 'completed ' : '';
  const about = intent.search ? ` matching "${intent.search}"` : '';
  const priority = intent.priority ? `${intent.priority}-priority ` : '';
  if (tasks.length === 0) {
    return intent.status === 'completed' && !about
      ? "You haven't completed any tasks yet. You've got this!"
      : `You don't have any ${priority}${which}tasks${about}. Say "add …" to create one.`;
  }
  const noun = tasks.length === 1 ? 'task' : 'tasks';
  if (intent.count) return `You have ${tasks.length} ${priority}${which}${noun}${about}.`;
  return [`You have ${tasks.length} ${priority}${which}${noun}${about}:`, ...tasks.map((task) => `- ${describeTask(task)}`)].join('\n');
}

export function ambiguousReply(phrase: string, tasks: ListedTask[]): string {
  return [
    `I found ${tasks.length} tasks matching "${phrase}":`,
    ...tasks.slice(0, 10).map((task) => `- ${describeTask(task)}`),
    'Which one do you mean? You can tell me its number.',
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

export function confirmationReply(kind: 'add' | 'complete' | 'delete' | 'update', result: { task_number: number; title: string }, extra = ''): string {
  const task = `task #${result.task_number} "${result.title}"`;
  switch (kind) {
    case 'add':
      return `Added ${task}${extra}.`;
    case 'complete':
      return `Nice work! I marked ${task} as complete.`;
    case 'delete':
      return `Deleted ${task}.`;
    default:
      return `Updated ${task}${extra}.`;
  }
}
