// Every task operation, scoped to one user; REST routes and assistant tools both call these.
import type { Task, TaskStatus } from '../db/entities/index.ts';
import { taskPriorities } from '../db/entities/task.entity.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { type DueDate, needsZone, type ResolvedDue, resolveDue } from '../shared/dates.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { toIso } from '../shared/timestamps.ts';
import { sortPlan, type TaskFields, type TaskFilter, type TaskRef, type TasksRepository } from './tasks.repository.ts';
import type { TaskDto, TaskInput, TaskListQuery, TaskPatch, TaskSort } from './tasks.schemas.ts';

export type { TaskRef } from './tasks.repository.ts';

export interface TaskSearch extends TaskFilter {
  limit?: number;
}

/** Where task changes are announced (the realtime gateway turns them into socket events). */
export interface TaskEventSink {
  taskCreated(userId: string, task: TaskDto): void;
  taskUpdated(userId: string, task: TaskDto): void;
  taskDeleted(userId: string, deleted: { id: string; number: number }): void;
}

export function toTaskDto(task: TaskFields): TaskDto {
  return {
    id: task.id,
    number: task.number,
    title: task.title,
    description: task.description ?? null,
    status: task.status,
    completed: task.status === 'completed',
    priority: task.priority,
    due_date: task.dueOn ?? (task.dueDate ? toIso(task.dueDate) : null),
    completed_at: task.completedAt ? toIso(task.completedAt) : null,
    created_at: toIso(task.createdAt),
    updated_at: toIso(task.updatedAt),
  };
}

/** A task list cursor: the sort it belongs to, the last row's sort key and number. */
function decodeTaskCursor(cursor: string, sort: TaskSort): { key: string | number | null; number: number } {
  const [, key, number] = decodeCursor(
    cursor,
    ([cursorSort, key, number]) =>
      cursorSort === sort &&
      cursorPart.int(number, 1, 2_147_483_647) &&
      (sort.endsWith('priority') ? cursorPart.int(key, 1, taskPriorities.length) : cursorPart.timestamp(key) || (key === null && sort.endsWith('due_date'))),
    'is not a cursor from this list and sort',
  );
  return { key: key as string | number | null, number: number as number };
}

function setDue(task: Task, due: ResolvedDue | null): void {
  task.dueDate = due?.at ?? null;
  task.dueOn = due?.on ?? null;
}

function statusFields(status: TaskStatus, previous?: { status: TaskStatus; completedAt?: Date | null }) {
  if (status !== 'completed') return { status, completedAt: null };
  return { status, completedAt: previous?.status === 'completed' && previous.completedAt ? previous.completedAt : new Date() };
}

export class TasksService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly events: TaskEventSink,
    /** Tasks one user may have. */
    private readonly quota: number,
  ) {}

  /** Every task in number order, read a batch at a time as it is consumed (an export). */
  async *allInBatches(userId: string, statementTimeoutMs: number): AsyncGenerator<TaskDto[]> {
    for await (const rows of this.tasks.allInBatches(userId, 500, statementTimeoutMs)) yield rows.map(toTaskDto);
  }

  async list(userId: string, query: TaskListQuery): Promise<{ tasks: TaskDto[]; next_cursor: string | null }> {
    const plan = sortPlan(query.sort);
    const zone = needsZone(query.due_before) || needsZone(query.due_after) ? await this.timeZone(userId) : 'UTC';
    const rows = await this.tasks.page(userId, {
      filter: { status: query.status, priority: query.priority, words: query.q ? [query.q] : [] },
      dueBefore: query.due_before && resolveDue(query.due_before, zone, 'due_before').at,
      dueAfter: query.due_after && resolveDue(query.due_after, zone, 'due_after').at,
      plan,
      after: query.cursor ? decodeTaskCursor(query.cursor, query.sort) : undefined,
      limit: query.limit + 1,
    });
    const tasks = rows.slice(0, query.limit).map(toTaskDto);
    const lastRow = rows[query.limit - 1];
    const next_cursor = rows.length > query.limit && lastRow ? encodeCursor([query.sort, plan.keyOf(lastRow), lastRow.number]) : null;
    return { tasks, next_cursor };
  }

  /** The assistant's lookup: every task whose title or description holds all the words. */
  async search(userId: string, search: TaskSearch): Promise<TaskDto[]> {
    return (await this.tasks.search(userId, search, search.limit ?? 200)).map(toTaskDto);
  }

  async create(userId: string, input: TaskInput): Promise<TaskDto> {
    return (await this.createAll(userId, [input]))[0]!;
  }

  /** Creates tasks in order, each announced; the user's zone is read once for all of them (an import). */
  async createAll(userId: string, inputs: TaskInput[]): Promise<TaskDto[]> {
    const zone = inputs.some((input) => needsZone(input.due_date)) ? await this.timeZone(userId) : 'UTC';
    if ((await this.tasks.count(userId)) + inputs.length > this.quota) {
      throw new AppError('QUOTA_EXCEEDED', `A user may have at most ${this.quota} tasks; delete some first`);
    }
    // Every due date is checked before the first insert: a bad one creates none.
    const dues = inputs.map(({ due_date }) => (due_date ? resolveDue(due_date, zone) : null));
    const created: TaskDto[] = [];
    for (const [index, { due_date: _dueDate, ...fields }] of inputs.entries()) {
      const status = fields.status ?? 'pending';
      const due = dues[index] ?? null;
      const row = await this.tasks.insert(userId, { ...fields, due, status, completedAt: status === 'completed' ? new Date() : null });
      if (!row) throw new AppError('UNAUTHORIZED', 'The user of this token no longer exists');
      const task = toTaskDto(row);
      this.events.taskCreated(userId, task);
      created.push(task);
    }
    return created;
  }

  async get(userId: string, ref: TaskRef): Promise<TaskDto> {
    return toTaskDto(await this.load(userId, ref));
  }

  async update(userId: string, ref: TaskRef, patch: TaskPatch): Promise<TaskDto> {
    const task = await this.load(userId, ref);
    if (patch.title !== undefined) task.title = patch.title;
    if (patch.description !== undefined) task.description = patch.description;
    if (patch.priority !== undefined) task.priority = patch.priority;
    if (patch.due_date !== undefined) setDue(task, await this.resolve(userId, patch.due_date));
    const status = patch.status ?? (patch.completed === undefined ? undefined : patch.completed ? 'completed' : 'pending');
    if (status !== undefined) Object.assign(task, statusFields(status, task));
    return this.save(userId, task);
  }

  /** PUT: the editable fields become the body's, omitted ones their defaults. */
  async replace(userId: string, ref: TaskRef, input: TaskInput): Promise<TaskDto> {
    const task = await this.load(userId, ref);
    Object.assign(task, {
      title: input.title,
      description: input.description ?? null,
      priority: input.priority ?? 'medium',
      ...statusFields(input.status ?? 'pending', task),
    });
    setDue(task, await this.resolve(userId, input.due_date));
    return this.save(userId, task);
  }

  /** Sets completion, or toggles it when `completed` is undefined. */
  async setCompleted(userId: string, ref: TaskRef, completed?: boolean): Promise<TaskDto> {
    const task = await this.load(userId, ref);
    const done = completed ?? task.status !== 'completed';
    if (done !== (task.status === 'completed')) Object.assign(task, statusFields(done ? 'completed' : 'pending', task));
    return this.save(userId, task);
  }

  async remove(userId: string, ref: TaskRef): Promise<{ id: string; number: number; title: string }> {
    const row = await this.tasks.delete(userId, ref);
    if (!row) throw notFound('Task');
    this.events.taskDeleted(userId, { id: row.id, number: row.number });
    return row;
  }

  /** The user's IANA time zone (the assistant reads and says dates in it). */
  async timeZone(userId: string): Promise<string> {
    return (await this.tasks.preferences(userId)).timeZone;
  }

  /** What the assistant acts under for this user: their zone, and whether destructive tools wait for approval. */
  preferences(userId: string): Promise<{ timeZone: string; confirmDestructive: boolean }> {
    return this.tasks.preferences(userId);
  }

  /** A due date as stored: a calendar date or local time is read in the user's zone. */
  private async resolve(userId: string, due: DueDate | null | undefined): Promise<ResolvedDue | null> {
    if (!due) return null;
    return resolveDue(due, needsZone(due) ? await this.timeZone(userId) : 'UTC');
  }

  private async load(userId: string, ref: TaskRef): Promise<Task> {
    const task = await this.tasks.find(userId, ref);
    if (!task) throw notFound('Task');
    return task;
  }

  private async save(userId: string, task: Task): Promise<TaskDto> {
    await this.tasks.flush();
    const dto = toTaskDto(task);
    this.events.taskUpdated(userId, dto);
    return dto;
  }
}
