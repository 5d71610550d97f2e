// The task panel: the tasks of the list shown (or of every list) under the chosen filter, kept live
// from REST answers and socket events.
import type { TaskDto, TaskstreamClient } from '../api.ts';
import { $, showError } from '../dom.ts';
import { renderTasks as drawTasks, type Filter } from './tasks.ts';

/** Which list the panel shows ('' for every list), and the names of the user's lists. */
export interface TaskScope {
  readonly listId: string;
  nameOf(listId: string): string | undefined;
}

export class TaskPanel {
  private tasks = new Map<string, TaskDto>();
  private filter: Filter = 'all';
  scope: TaskScope = { listId: '', nameOf: () => undefined };

  constructor(
    private readonly client: TaskstreamClient,
    private readonly me: () => string | undefined,
  ) {
    for (const button of document.querySelectorAll<HTMLButtonElement>('[data-filter]')) {
      button.addEventListener('click', () => {
        this.filter = button.dataset.filter as Filter;
        for (const other of document.querySelectorAll<HTMLButtonElement>('[data-filter]')) other.setAttribute('aria-pressed', String(other === button));
        void this.load();
      });
    }
    $<HTMLFormElement>('#task-add-form').addEventListener('submit', (event) => void this.add(event));
  }

  async load(): Promise<void> {
    const { tasks } = await this.client.listTasks(this.filter, this.scope.listId || undefined);
    this.tasks = new Map(tasks.map((task) => [task.id, task]));
    this.render();
  }

  upsert(task: TaskDto): void {
    const inList = !this.scope.listId || task.list_id === this.scope.listId;
    const shown = inList && (this.filter === 'all' || (this.filter === 'completed' ? task.completed : !task.completed));
    if (shown) this.tasks.set(task.id, task);
    else this.tasks.delete(task.id);
    this.render();
  }

  remove(id: string): void {
    this.tasks.delete(id);
    this.render();
  }

  private render(): void {
    drawTasks(this.tasks.values(), this.filter, {
      listName: this.scope.listId ? () => undefined : (task) => this.scope.nameOf(task.list_id),
      me: this.me(),
      setCompleted: (task, completed) =>
        void this.client.setCompleted(task.id, completed).then(
          ({ task: updated }) => this.upsert(updated),
          (error) => showError($('#task-error'), error),
        ),
      remove: (task) => void this.client.deleteTask(task.id).catch((error) => showError($('#task-error'), error)),
    });
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
