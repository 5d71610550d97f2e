// The task panel's list: one row per task with its checkbox, number, priority, due date, list, assignee, who changed it last, and Delete.
import type { TaskDto } from '../api.ts';
import { byTestId, element } from '../dom.ts';

export type Filter = 'all' | 'pending' | 'completed' | 'today' | 'upcoming';

export interface TaskActions {
  setCompleted(task: TaskDto, completed: boolean): void;
  remove(task: TaskDto): void;
  /** The name of the task's list, when the panel shows every list. */
  listName(task: TaskDto): string | undefined;
  /** The user's id: what others did is said with their name. */
  me: string | undefined;
  /** Tasks shown as overdue (red, first): the Today view's. */
  overdue: Set<string>;
  /** Reordering by hand (one list shown): put a task right before or after another. */
  move?(task: TaskDto, anchor: { before: TaskDto } | { after: TaskDto }): void;
  history(task: TaskDto): void;
  /** Its comments and files. */
  details(task: TaskDto): void;
}

/** A calendar date as its day (never shifted by a zone); an instant as the browser's local day and time. */
const formatDate = (due: string) =>
  due.length === 10
    ? new Date(`${due}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
    : new Date(due).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });

function taskElement(task: TaskDto, actions: TaskActions) {
  const checkbox = element('input', {
    type: 'checkbox',
    checked: task.completed,
    testid: 'task-checkbox',
    ariaLabel: `Mark “${task.title}” as ${task.completed ? 'not done' : 'done'}`,
  });
  checkbox.addEventListener('change', () => actions.setCompleted(task, checkbox.checked));
  const facts = element(
    'div',
    { className: 'details' },
    element('span', { textContent: `#${task.number}` }),
    element('span', { className: `priority-${task.priority}`, textContent: task.priority }),
    ...(task.due_date ? [element('span', { textContent: `${actions.overdue.has(task.id) ? 'overdue since' : 'due'} ${formatDate(task.due_date)}` })] : []),
    ...(task.recurrence ? [element('span', { title: task.recurrence, textContent: '↻ repeats' })] : []),
    ...(actions.listName(task) ? [element('span', { className: 'list-name', textContent: actions.listName(task)! })] : []),
    ...(task.assignee ? [element('span', { testid: 'task-assignee', textContent: `→ ${task.assignee.id === actions.me ? 'you' : task.assignee.name}` })] : []),
    ...(task.updated_by && task.updated_by.id !== actions.me ? [element('span', { testid: 'task-by', textContent: `by ${task.updated_by.name}` })] : []),
  );
  const history = element('button', {
    type: 'button',
    className: 'link',
    textContent: 'History',
    testid: 'task-history',
    ariaLabel: `History of “${task.title}”`,
    onclick: () => actions.history(task),
  });
  const details = element('button', {
    type: 'button',
    className: 'link',
    textContent: 'Details',
    testid: 'task-details',
    ariaLabel: `Details of “${task.title}”: comments and files`,
    onclick: () => actions.details(task),
  });
  const remove = element('button', {
    type: 'button',
    className: 'link',
    textContent: 'Delete',
    ariaLabel: `Delete “${task.title}”`,
    onclick: () => actions.remove(task),
  });
  const item = element(
    'li',
    {
      testid: 'task-item',
      className: actions.overdue.has(task.id) ? 'overdue' : '',
      dataset: { id: task.id, completed: String(task.completed), overdue: String(actions.overdue.has(task.id)) },
    },
    checkbox,
    element('div', {}, element('div', { className: 'title', textContent: task.title }), facts),
    details,
    history,
    remove,
  );
  return item;
}

/** Reordering by hand: drag a task onto another (its upper half: before it), or Alt+↑ / Alt+↓ on a focused task. */
function makeMovable(items: HTMLLIElement[], tasks: TaskDto[], move: NonNullable<TaskActions['move']>) {
  items.forEach((item, index) => {
    const task = tasks[index]!;
    item.tabIndex = 0;
    item.draggable = true;
    item.setAttribute('aria-keyshortcuts', 'Alt+ArrowUp Alt+ArrowDown');
    item.addEventListener('keydown', (event) => {
      if (!event.altKey) return;
      const neighbour = event.key === 'ArrowUp' ? tasks[index - 1] : event.key === 'ArrowDown' ? tasks[index + 1] : undefined;
      if (!neighbour) return;
      event.preventDefault();
      move(task, event.key === 'ArrowUp' ? { before: neighbour } : { after: neighbour });
    });
    item.addEventListener('dragstart', (event) => event.dataTransfer?.setData('text/x-task', task.id));
    item.addEventListener('dragover', (event) => event.preventDefault());
    item.addEventListener('drop', (event) => {
      event.preventDefault();
      const dragged = tasks.find((candidate) => candidate.id === event.dataTransfer?.getData('text/x-task'));
      if (!dragged || dragged.id === task.id) return;
      const { top, height } = item.getBoundingClientRect();
      move(dragged, event.clientY < top + height / 2 ? { before: task } : { after: task });
    });
  });
}

/** One list: its manual order (unplaced tasks after the placed ones, by number); every list: oldest first. */
const byPosition = (a: TaskDto, b: TaskDto) =>
  (a.position ?? '~') < (b.position ?? '~') ? -1 : (a.position ?? '~') > (b.position ?? '~') ? 1 : a.number - b.number;

export function renderTasks(tasks: Iterable<TaskDto>, filter: Filter, actions: TaskActions) {
  const list = byTestId('task-list');
  // A view of the day keeps the server's order (overdue first, then by due date).
  const sorted =
    filter === 'today' || filter === 'upcoming'
      ? [...tasks]
      : [...tasks].sort(actions.move ? byPosition : (a, b) => a.created_at.localeCompare(b.created_at) || a.number - b.number);
  const items = sorted.map((task) => taskElement(task, actions));
  if (actions.move) makeMovable(items, sorted, actions.move);
  list.replaceChildren(...items);
  const empty = {
    all: 'No tasks yet',
    pending: 'No pending tasks',
    completed: 'No completed tasks',
    today: 'Nothing due today',
    upcoming: 'Nothing coming up',
  };
  if (sorted.length === 0) list.append(element('li', { className: 'empty', textContent: empty[filter] }));
}
