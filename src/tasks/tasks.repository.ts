// The SQL of tasks: every query the task domain makes, always scoped to one user.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Task, type TaskPriority, type TaskStatus } from '../db/entities/index.ts';
import { taskPriorities } from '../db/entities/task.entity.ts';
import { boundValues, executeBound, withStatementTimeout } from '../db/sql.ts';
import type { ResolvedDue } from '../shared/dates.ts';
import { type Timestamp, toIso } from '../shared/timestamps.ts';
import type { TaskInput, TaskSort } from './tasks.schemas.ts';

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
  dueOn?: string | null;
  completedAt?: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** The columns of `tasks t`, named as the entity's properties. */
const taskColumns = `t.id, t.number, t.title, t.description, t.status, t.priority, t.due_date as "dueDate", t.due_on::text as "dueOn",
  t.completed_at as "completedAt", t.created_at as "createdAt", t.updated_at as "updatedAt"`;

/** A task's priority as its position in `taskPriorities` (1 = low … 4 = urgent). */
const priorityRank = `array_position(array[${taskPriorities.map((priority) => `'${priority}'`).join(', ')}], t.priority::text)`;

export interface SortPlan {
  /** SQL of the sort key for a row, and of the same key for a cursor value (its placeholder given). */
  rowKey: string;
  cursorKey(placeholder: string): string;
  descending: boolean;
  keyOf(task: TaskFields): string | number | null;
}

export function sortPlan(sort: TaskSort): SortPlan {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  switch (field) {
    case 'due_date': {
      // Tasks without a due date come last in either direction.
      const none = descending ? "'-infinity'" : "'infinity'";
      return {
        rowKey: `coalesce(t.due_date, ${none}::timestamptz)`,
        cursorKey: (value) => `coalesce(${value}::timestamptz, ${none}::timestamptz)`,
        descending,
        keyOf: (task) => (task.dueDate ? toIso(task.dueDate) : null),
      };
    }
    case 'priority':
      return { rowKey: priorityRank, cursorKey: (value) => `${value}::int`, descending, keyOf: (task) => taskPriorities.indexOf(task.priority) + 1 };
    case 'updated_at':
      return { rowKey: 't.updated_at', cursorKey: (value) => `${value}::timestamptz`, descending, keyOf: (task) => toIso(task.updatedAt) };
    default:
      return { rowKey: 't.created_at', cursorKey: (value) => `${value}::timestamptz`, descending, keyOf: (task) => toIso(task.createdAt) };
  }
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export interface TaskFilter {
  /** `open` is every task not completed yet (pending or in progress). */
  status?: TaskStatus | 'all' | 'open';
  priority?: TaskPriority;
  /** Case-insensitive phrases that must all appear in the title or description. */
  words?: string[];
}

/** The conditions of a user's tasks matching a filter, their values bound with `bind`. */
function filterTasks(bind: (value: unknown) => string, userId: string, filter: TaskFilter): string[] {
  const where = [`t.user_id = ${bind(userId)}`];
  if (filter.status === 'open') where.push("t.status <> 'completed'");
  else if (filter.status && filter.status !== 'all') where.push(`t.status = ${bind(filter.status)}`);
  if (filter.priority) where.push(`t.priority = ${bind(filter.priority)}`);
  for (const word of filter.words ?? []) {
    const pattern = bind(`%${escapeLike(word)}%`);
    where.push(`(t.title ilike ${pattern} or coalesce(t.description, '') ilike ${pattern})`);
  }
  return where;
}

/** A page of a user's tasks: filter, extra conditions (due dates, cursor), order, limit. */
export interface TaskPage {
  filter: TaskFilter;
  dueBefore?: Date;
  dueAfter?: Date;
  plan: SortPlan;
  after?: { key: string | number | null; number: number };
  limit: number;
}

export class TasksRepository {
  constructor(private readonly em: EntityManager) {}

  page(userId: string, page: TaskPage): Promise<TaskFields[]> {
    const { plan } = page;
    const { bind, values } = boundValues();
    const where = filterTasks(bind, userId, page.filter);
    if (page.dueBefore) where.push(`t.due_date < ${bind(page.dueBefore)}`);
    if (page.dueAfter) where.push(`t.due_date > ${bind(page.dueAfter)}`);
    if (page.after) {
      where.push(`(${plan.rowKey}, t.number) ${plan.descending ? '<' : '>'} (${plan.cursorKey(bind(page.after.key))}, ${bind(page.after.number)})`);
    }
    const direction = plan.descending ? 'desc' : 'asc';
    return executeBound<TaskFields>(
      this.em,
      `select ${taskColumns} from tasks t where ${where.join(' and ')} order by ${plan.rowKey} ${direction}, t.number ${direction} limit ${bind(page.limit)}`,
      values,
    );
  }

  /** Matching tasks in number order. */
  search(userId: string, filter: TaskFilter, limit: number): Promise<TaskFields[]> {
    const { bind, values } = boundValues();
    const where = filterTasks(bind, userId, filter);
    return executeBound<TaskFields>(this.em, `select ${taskColumns} from tasks t where ${where.join(' and ')} order by t.number limit ${bind(limit)}`, values);
  }

  /**
   * Every task of a user in number order, `size` at a time, each batch one statement that PostgreSQL
   * cancels after `timeoutMs`. On an EntityManager of its own: the reader outlives the request that
   * starts it (an export is read as it is sent).
   */
  async *allInBatches(userId: string, size: number, timeoutMs: number): AsyncGenerator<TaskFields[]> {
    const em = this.em.fork();
    for (let after = 0; ; ) {
      const rows = await withStatementTimeout(em, timeoutMs, (tx) =>
        executeBound<TaskFields>(tx, `select ${taskColumns} from tasks t where t.user_id = $1 and t.number > $2 order by t.number limit $3`, [
          userId,
          after,
          size,
        ]),
      );
      if (rows.length > 0) yield rows;
      if (rows.length < size) return;
      after = rows.at(-1)!.number;
    }
  }

  /** How many tasks a user has (against the quota). */
  async count(userId: string): Promise<number> {
    const [row] = await executeBound<{ count: number }>(this.em, 'select count(*)::int as count from tasks where user_id = $1', [userId]);
    return row!.count;
  }

  /** Inserts a task with the user's next number, taken under the user row's lock in the same statement; undefined when the user is gone. */
  async insert(
    userId: string,
    input: Omit<TaskInput, 'due_date'> & { due: ResolvedDue | null; status: TaskStatus; completedAt: Date | null },
  ): Promise<TaskFields | undefined> {
    // The values in the select list are cast: a bound value there is text unless told otherwise.
    const [row] = await executeBound<TaskFields>(
      this.em,
      `with seq as (update users set task_seq = task_seq + 1 where id = $1 returning task_seq)
       insert into tasks as t (user_id, number, title, description, status, priority, due_date, due_on, completed_at)
       select $1::uuid, seq.task_seq, $2::text, $3::text, $4::text, $5::text, $6::timestamptz, $7::date, $8::timestamptz from seq
       returning ${taskColumns}`,
      [
        userId,
        input.title,
        input.description ?? null,
        input.status,
        input.priority ?? 'medium',
        input.due?.at ?? null,
        input.due?.on ?? null,
        input.completedAt,
      ],
    );
    return row;
  }

  /** The user's time zone (calendar dates and local times are read in it) and approval setting. */
  async preferences(userId: string): Promise<{ timeZone: string; confirmDestructive: boolean }> {
    const [row] = await executeBound<{ timeZone: string; confirmDestructive: boolean }>(
      this.em,
      'select timezone as "timeZone", confirm_destructive as "confirmDestructive" from users where id = $1',
      [userId],
    );
    return row ?? { timeZone: 'UTC', confirmDestructive: false };
  }

  /** Keeps calendar-dated tasks at the start of their day when the user's zone changes (held within the storable years, as resolveDue does). */
  async moveCalendarDates(userId: string, timeZone: string): Promise<void> {
    await executeBound(
      this.em,
      `update tasks set due_date = greatest(least(due_on::timestamp at time zone $1::text, '9999-12-31 23:59:59.999+00'::timestamptz), '0001-01-01 00:00:00+00'::timestamptz)
        where user_id = $2 and due_on is not null`,
      [timeZone, userId],
    );
  }

  /** The task as an entity, to change and flush. */
  find(userId: string, ref: TaskRef): Promise<Task | null> {
    return this.em.findOne(Task, typeof ref === 'number' ? { user: userId, number: ref } : { user: userId, id: ref });
  }

  flush(): Promise<void> {
    return this.em.flush();
  }

  async delete(userId: string, ref: TaskRef): Promise<{ id: string; number: number; title: string } | undefined> {
    const [row] = await executeBound<{ id: string; number: number; title: string }>(
      this.em,
      `delete from tasks where user_id = $1 and ${typeof ref === 'number' ? 'number' : 'id'} = $2 returning id, number, title`,
      [userId, ref],
    );
    return row;
  }
}
