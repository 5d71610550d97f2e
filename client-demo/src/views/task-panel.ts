// The task panel: the tasks of the list shown (or of every list) under the chosen filter, kept live
// from REST answers and socket events.
import type { ChangeDto, TaskDto, TaskstreamClient } from '../api.ts';
import { $, byTestId, element, showError } from '../dom.ts';
import { TaskDetail } from './task-detail.ts';
import { renderTasks as drawTasks, type Filter } from './tasks.ts';

/** Which list the panel shows ('' for every list), and the names of the user's lists. */
export interface TaskScope {
  readonly listId: string;
  nameOf(listId: string): string | undefined;
}

export class TaskPanel {
  private tasks = new Map<string, TaskDto>();
  private filter: Filter = 'all';
  /** In the Today view: the tasks shown because they are overdue. */
  private overdue = new Set<string>();
  scope: TaskScope = { listId: '', nameOf: () => undefined };
  /** The drawer of the task whose comments and files are open. */
  readonly detail: TaskDetail;

  constructor(
    private readonly client: TaskstreamClient,
    private readonly me: () => string | undefined,
  ) {
    this.detail = new TaskDetail(client, me);
    for (const button of document.querySelectorAll<HTMLButtonElement>('[data-filter]')) {
      button.addEventListener('click', () => {
        this.filter = button.dataset.filter as Filter;
        for (const other of document.querySelectorAll<HTMLButtonElement>('[data-filter]')) other.setAttribute('aria-pressed', String(other === button));
        void this.load();
      });
    }
    $<HTMLFormElement>('#task-add-form').addEventListener('submit', (event) => void this.add(event));
    $('#history-close').addEventListener('click', () => {
      byTestId('history-panel').hidden = true;
    });
  }

  /** Events that came while a load was out (a task, or null for one removed): applied on top of its answer, which may predate them. */
  private arrivedWhileLoading: Map<string, TaskDto | null> | undefined;

  async load(): Promise<void> {
    const arrived = new Map<string, TaskDto | null>();
    this.arrivedWhileLoading = arrived;
    try {
      await this.read();
    } finally {
      if (this.arrivedWhileLoading === arrived) this.arrivedWhileLoading = undefined;
    }
    // A view of the day was read after them and is the server's answer; a plain view takes them on.
    if (this.filter !== 'today' && this.filter !== 'upcoming') {
      for (const [id, task] of arrived) {
        if (task) this.place(task);
        else this.tasks.delete(id);
      }
    }
    this.render();
  }

  private async read(): Promise<void> {
    const listId = this.scope.listId || undefined;
    if (this.filter === 'today' || this.filter === 'upcoming') {
      // Today: what is overdue first (in red), then what is due today; Upcoming: after today. Both by due date, in the user's zone.
      const [overdue, due] = await Promise.all([
        this.filter === 'today' ? this.client.listTasks('pending', listId, 'overdue') : Promise.resolve({ tasks: [] }),
        this.client.listTasks('pending', listId, this.filter),
      ]);
      this.overdue = new Set(overdue.tasks.map((task) => task.id));
      this.tasks = new Map([...overdue.tasks, ...due.tasks].map((task) => [task.id, task]));
    } else {
      const { tasks } = await this.client.listTasks(this.filter, listId);
      this.overdue = new Set();
      this.tasks = new Map(tasks.map((task) => [task.id, task]));
    }
  }

  upsert(task: TaskDto): void {
    this.arrivedWhileLoading?.set(task.id, task);
    // Whether a task belongs to a view of the day is the server's to say (the user's zone): read the view again.
    if (this.filter === 'today' || this.filter === 'upcoming') {
      void this.load();
      return;
    }
    this.place(task);
    this.render();
  }

  /** The task in the panel, or out of it when the list or filter shown leaves it out. */
  private place(task: TaskDto): void {
    const inList = !this.scope.listId || task.list_id === this.scope.listId;
    const shown = inList && (this.filter === 'all' || (this.filter === 'completed' ? task.completed : !task.completed));
    if (shown) this.tasks.set(task.id, task);
    else this.tasks.delete(task.id);
  }

  remove(id: string): void {
    this.arrivedWhileLoading?.set(id, null);
    this.detail.taskRemoved(id);
    this.tasks.delete(id);
    this.render();
  }

  private render(): void {
    // A redraw keeps the keyboard on the task it was on (a task moved by Alt+↑/↓ keeps it).
    const focused = document.activeElement?.matches('[data-testid="task-item"]') ? (document.activeElement as HTMLElement).dataset.id : undefined;
    drawTasks(this.tasks.values(), this.filter, {
      listName: this.scope.listId ? () => undefined : (task) => this.scope.nameOf(task.list_id),
      me: this.me(),
      overdue: this.overdue,
      history: (task) => void this.showHistory(task),
      details: (task) => void this.detail.open(task).catch((error) => showError($('#task-error'), error)),
      ...(this.scope.listId
        ? {
            move: (task: TaskDto, anchor: { before: TaskDto } | { after: TaskDto }) =>
              void this.client.moveTask(task.id, 'before' in anchor ? { before: anchor.before.id } : { after: anchor.after.id }).then(
                ({ task: moved }) => this.upsert(moved),
                (error) => showError($('#task-error'), error),
              ),
          }
        : {}),
      setCompleted: (task, completed) =>
        void this.client.setCompleted(task.id, completed).then(
          ({ task: updated }) => this.upsert(updated),
          (error) => showError($('#task-error'), error),
        ),
      remove: (task) => void this.client.deleteTask(task.id).catch((error) => showError($('#task-error'), error)),
    });
    if (focused) document.querySelector<HTMLElement>(`[data-testid="task-item"][data-id="${focused}"]`)?.focus();
  }

  /** A task's history in the drawer: every change, by whom, newest first. */
  private async showHistory(task: TaskDto): Promise<void> {
    const { history } = await this.client.taskHistory(task.id);
    const drawer = byTestId('history-panel');
    $('#history-title').textContent = `History of “${task.title}”`;
    $('#history-list').replaceChildren(
      ...history.map((entry) =>
        element('li', {
          testid: 'history-entry',
          textContent: `${entry.actor?.id === this.me() ? 'You' : (entry.actor?.name ?? 'Someone')} · ${entry.action}${entry.channel === 'rest' ? '' : ` (${entry.channel})`} · ${new Date(entry.at).toLocaleString()}${entry.undone ? ' · undone' : ''}`,
        }),
      ),
    );
    drawer.hidden = false;
    $<HTMLButtonElement>('#history-close').focus();
  }

  /** The user's own latest change, offered for undoing (every change but an undo). */
  offerUndo(entry: ChangeDto): void {
    if (entry.actor?.id !== this.me() || entry.channel === 'undo') return;
    const bar = byTestId('undo-bar');
    const title = this.tasks.get(entry.task_id)?.title ?? (entry.changes.title?.[0] as string | undefined) ?? 'a task';
    $('#undo-text').textContent = `You ${entry.action} “${title}”.`;
    bar.hidden = false;
    byTestId<HTMLButtonElement>('undo-button').onclick = () =>
      void this.client.undo(entry.id).then(
        () => {
          bar.hidden = true;
        },
        (error) => showError($('#task-error'), error),
      );
  }

  private async add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = $<HTMLInputElement>('#task-title');
    const title = input.value.trim();
    if (!title) return;
    $('#task-error').textContent = '';
    try {
      this.upsert((await this.client.createTask(title, this.scope.listId || undefined)).task);
      input.value = '';
    } catch (error) {
      showError($('#task-error'), error);
    }
  }
}
