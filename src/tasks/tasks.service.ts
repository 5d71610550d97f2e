// Every task operation, scoped to one user; REST routes and assistant tools both call these.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Task, type TaskPriority, type TaskStatus } from '../db/entities/index.ts';
import { taskPriorities } from '../db/entities/task.entity.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { type Timestamp, toIso } from '../shared/timestamps.ts';
import type { TaskDto, TaskInput, TaskListQuery, TaskPatch, TaskSort } from './tasks.schemas.ts';

/** Where task changes are announced (the realtime gateway turns them into socket events). */
export interface TaskEventSink {
  taskCreated(userId: string, task: TaskDto): void;
  taskUpdated(userId: string, task: TaskDto): void;
  taskDeleted(userId: string, deleted: { id: string; number: number }): void;
}

export type TaskRef = string | number;

/** A task as an entity, or as a row selected with `taskColumns` (read paths skip entity hydration). */
export interface TaskFields {
  id: string;
  number: number;
  title: string;
  description?: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  dueDate?: Timestamp | null;
  completedAt?: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** The columns of `tasks t`, named as the entity's properties. */
const taskColumns = `t.id, t.number, t.title, t.description, t.status, t.priority, t.due_date as "dueDate",
  t.completed_at as "completedAt", t.created_at as "createdAt", t.updated_at as "updatedAt"`;

export function toTaskDto(task: TaskFields): TaskDto {
  return {
    id: task.id,
    number: task.number,
    title: task.title,
    description: task.description ?? null,
    status: task.status,
    completed: task.status === 'completed',
    priority: task.priority,
    due_date: task.dueDate ? toIso(task.dueDate) : null,
    completed_at: task.completedAt ? toIso(task.completedAt) : null,
    created_at: toIso(task.createdAt),
    updated_at: toIso(task.updatedAt),
  };
}

/** A task's priority as its position in `taskPriorities` (1 = low … 4 = urgent). */
const priorityRank = `array_position(array[${taskPriorities.map((priority) => `'${priority}'`).join(', ')}], t.priority::text)`;

interface SortPlan {
  /** SQL of the sort key for a row, and of the same key for a cursor value bound as `?`. */
  rowKey: string;
  cursorKey: string;
  descending: boolean;
  keyOf(task: TaskDto): string | number | null;
}

function sortPlan(sort: TaskSort): SortPlan {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  switch (field) {
    case 'due_date': {
      // Tasks without a due date come last in either direction.
      const none = descending ? "'-infinity'" : "'infinity'";
      return {
        rowKey: `coalesce(t.due_date, ${none}::timestamptz)`,
        cursorKey: `coalesce(?::timestamptz, ${none}::timestamptz)`,
        descending,
        keyOf: (task) => task.due_date,
      };
    }
    case 'priority':
      return { rowKey: priorityRank, cursorKey: '?::int', descending, keyOf: (task) => taskPriorities.indexOf(task.priority) + 1 };
    case 'updated_at':
      return { rowKey: 't.updated_at', cursorKey: '?::timestamptz', descending, keyOf: (task) => task.updated_at };
    default:
      return { rowKey: 't.created_at', cursorKey: '?::timestamptz', descending, keyOf: (task) => task.created_at };
  }
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

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

function statusFields(status: TaskStatus, previous?: { status: TaskStatus; completedAt?: Date | null }) {
  if (status !== 'completed') return { status, completedAt: null };
  return { status, completedAt: previous?.status === 'completed' && previous.completedAt ? previous.completedAt : new Date() };
}

export interface TaskFilter {
  /** `open` is every task not completed yet (pending or in progress). */
  status?: TaskStatus | 'all' | 'open';
  priority?: TaskPriority;
  /** Case-insensitive phrases that must all appear in the title or description. */
  words?: string[];
}

export interface TaskSearch extends TaskFilter {
  limit?: number;
}

/** The WHERE clause (and its parameters) of a user's tasks matching a filter. */
function filterTasks(userId: string, filter: TaskFilter): { where: string[]; params: unknown[] } {
  const where = ['t.user_id = ?'];
  const params: unknown[] = [userId];
  if (filter.status === 'open') where.push("t.status <> 'completed'");
  else if (filter.status && filter.status !== 'all') {
    where.push('t.status = ?');
    params.push(filter.status);
  }
  if (filter.priority) {
    where.push('t.priority = ?');
    params.push(filter.priority);
  }
  for (const word of filter.words ?? []) {
    where.push("(t.title ilike ? or coalesce(t.description, '') ilike ?)");
    const pattern = `%${escapeLike(word)}%`;
    params.push(pattern, pattern);
  }
  return { where, params };
}

export class TasksService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: TaskEventSink,
  ) {}

  async list(userId: string, query: TaskListQuery): Promise<{ tasks: TaskDto[]; next_cursor: string | null }> {
    const plan = sortPlan(query.sort);
    const { where, params } = filterTasks(userId, { status: query.status, priority: query.priority, words: query.q ? [query.q] : [] });
    if (query.due_before) {
      where.push('t.due_date < ?');
      params.push(query.due_before);
    }
    if (query.due_after) {
      where.push('t.due_date > ?');
      params.push(query.due_after);
    }
    if (query.cursor) {
      const cursor = decodeTaskCursor(query.cursor, query.sort);
      where.push(`(${plan.rowKey}, t.number) ${plan.descending ? '<' : '>'} (${plan.cursorKey}, ?)`);
      params.push(cursor.key, cursor.number);
    }
    const direction = plan.descending ? 'desc' : 'asc';
    const rows = await this.em.execute<TaskFields[]>(
      `select ${taskColumns} from tasks t where ${where.join(' and ')} order by ${plan.rowKey} ${direction}, t.number ${direction} limit ?`,
      [...params, query.limit + 1],
    );
    const tasks = rows.slice(0, query.limit).map(toTaskDto);
    const last = tasks.at(-1);
    const next_cursor = rows.length > query.limit && last ? encodeCursor([query.sort, plan.keyOf(last), last.number]) : null;
    return { tasks, next_cursor };
  }

  /** The assistant's lookup: every task whose title or description holds all the words. */
  async search(userId: string, search: TaskSearch): Promise<TaskDto[]> {
    const { where, params } = filterTasks(userId, search);
    const rows = await this.em.execute<TaskFields[]>(`select ${taskColumns} from tasks t where ${where.join(' and ')} order by t.number limit ?`, [
      ...params,
      search.limit ?? 200,
    ]);
    return rows.map(toTaskDto);
  }

  async create(userId: string, input: TaskInput): Promise<TaskDto> {
    const status = input.status ?? 'pending';
    // One statement takes the user's next number under the user row's lock and inserts the task.
    const [row] = await this.em.execute<TaskFields[]>(
      `with seq as (update users set task_seq = task_seq + 1 where id = ? returning task_seq)
       insert into tasks as t (user_id, number, title, description, status, priority, due_date, completed_at)
       select ?, seq.task_seq, ?, ?, ?, ?, ?, ? from seq
       returning ${taskColumns}`,
      [
        userId,
        userId,
        input.title,
        input.description ?? null,
        status,
        input.priority ?? 'medium',
        input.due_date ?? null,
        status === 'completed' ? new Date() : null,
      ],
    );
    if (!row) throw new AppError('UNAUTHORIZED', 'The user of this token no longer exists');
    const task = toTaskDto(row);
    this.events.taskCreated(userId, task);
    return task;
  }

  async get(userId: string, ref: TaskRef): Promise<TaskDto> {
    return toTaskDto(await this.load(userId, ref));
  }

  async update(userId: string, ref: TaskRef, patch: TaskPatch): Promise<TaskDto> {
    const task = await this.load(userId, ref);
    if (patch.title !== undefined) task.title = patch.title;
    if (patch.description !== undefined) task.description = patch.description;
    if (patch.priority !== undefined) task.priority = patch.priority;
    if (patch.due_date !== undefined) task.dueDate = patch.due_date;
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
      dueDate: input.due_date ?? null,
      ...statusFields(input.status ?? 'pending', task),
    });
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
    const [row] = await this.em.execute<{ id: string; number: number; title: string }[]>(
      `delete from tasks where user_id = ? and ${typeof ref === 'number' ? 'number' : 'id'} = ? returning id, number, title`,
      [userId, ref],
    );
    if (!row) throw notFound('Task');
    this.events.taskDeleted(userId, { id: row.id, number: row.number });
    return row;
  }

  private async load(userId: string, ref: TaskRef): Promise<Task> {
    const task = await this.em.findOne(Task, typeof ref === 'number' ? { user: userId, number: ref } : { user: userId, id: ref });
    if (!task) throw notFound('Task');
    return task;
  }

  private async save(userId: string, task: Task): Promise<TaskDto> {
    await this.em.flush();
    const dto = toTaskDto(task);
    this.events.taskUpdated(userId, dto);
    return dto;
  }
}
