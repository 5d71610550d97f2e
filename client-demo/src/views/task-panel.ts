// The task panel: the user's tasks under the chosen filter, kept live from REST answers and socket events.
import type { TaskDto, TaskstreamClient } from '../api.ts';
import { $, showError } from '../dom.ts';
import { renderTasks as drawTasks, type Filter } from './tasks.ts';

export class TaskPanel {
  private tasks = new Map<string, TaskDto>();
  private filter: Filter = 'all';

  constructor(private readonly client: TaskstreamClient) {
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
    const { tasks } = await this.client.listTasks(this.filter);
    this.tasks = new Map(tasks.map((task) => [task.id, task]));
    this.render();
  }

  upsert(task: TaskDto): void {
    const shown = this.filter === 'all' || (this.filter === 'completed' ? task.completed : !task.completed);
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
      this.upsert((await this.client.createTask(title)).task);
      input.value = '';
    } catch (error) {
      showError($('#task-error'), error);
    }
  }
}
