// The SQL of tasks: every query the task domain makes, always scoped to lists (and a caller's membership).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { type ChangeAction, type FieldChanges, List, type ListRole, Task, TaskChange, type TaskPriority, type TaskStatus, User } from '../db/entities/index.ts';
import { taskPriorities } from '../db/entities/task.entity.ts';
import { boundValues, executeBound, withStatementTimeout } from '../db/sql.ts';
import { displayName } from '../lists/lists.repository.ts';
import { reminderJson } from '../reminders/reminders.repository.ts';
import type { ReminderDto } from '../reminders/reminders.schemas.ts';
import type { DayBounds, ResolvedDue } from '../shared/dates.ts';
import { type Timestamp, toIso } from '../shared/timestamps.ts';
import type { Actor } from './history.ts';
import type { DueView, TaskInput, TaskSort } from './tasks.schemas.ts';

/** A task as an entity, or as a row selected with `taskColumns` (read paths skip entity hydration). */
export interface TaskFields {
  id: string;
  listId: string;
  number: number;
  title: string;
  description?: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  dueDate?: Timestamp | null;
  dueOn?: string | null;
  completedAt?: Timestamp | null;
  archivedAt?: Timestamp | null;
  position?: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** Who it is assigned to, who made it and who last changed it, with their names (null once they are gone). */
  assigneeId: string | null;
  assigneeName: string | null;
  createdById: string | null;
  createdByName: string | null;
  updatedById: string | null;
  updatedByName: string | null;
  /** Every member's labels on it. */
  labels: { id: string; name: string; color: string }[];
  recurrence?: string | null;
  reminders: ReminderDto[];
}

/** The columns of `tasks t` and the people it names, as the read shape's properties. */
const taskColumns = `t.id, t.list_id as "listId", t.number, t.title, t.description, t.status, t.priority, t.due_date as "dueDate", t.due_on::text as "dueOn",
  t.completed_at as "completedAt", t.archived_at as "archivedAt", t.position, t.recurrence, t.created_at as "createdAt", t.updated_at as "updatedAt",
  t.assignee_id as "assigneeId", ${displayName('a')} as "assigneeName", t.created_by_id as "createdById", ${displayName('c')} as "createdByName",
  t.updated_by_id as "updatedById", ${displayName('u')} as "updatedByName",
  coalesce((select jsonb_agg(jsonb_build_object('id', l.id, 'name', l.name, 'color', l.color) order by lower(l.name), l.id)
              from task_labels tl join labels l on l.id = tl.label_id where tl.task_id = t.id), '[]'::jsonb) as labels,
  coalesce((select jsonb_agg(${reminderJson('r')} order by r.fires_at, r.id) from task_reminders r where r.task_id = t.id), '[]'::jsonb) as reminders`;

/** `tasks t` with the people it names. */
const taskFrom = 'tasks t left join users a on a.id = t.assignee_id left join users c on c.id = t.created_by_id left join users u on u.id = t.updated_by_id';

/** Where a task's number is counted: the list the caller names, else the caller's personal list. */
export interface TaskRef {
  ref: string | number;
  listId?: string;
}

/** A task the caller can see, where it is, and the caller's role there. */
export interface LocatedTask {
  id: string;
  listId: string;
  role: ListRole;
}

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
    case 'position': {
      // The manual order: positions compared bytewise, unplaced tasks after them by number.
      return {
        rowKey: `coalesce(t.position, '~') collate "C"`,
        cursorKey: (value) => `${value}::text collate "C"`,
        descending,
        keyOf: (task) => task.position ?? '~',
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
  /** The lists to read: one, or several (every list of the caller). */
  lists: string[];
  /** Tasks assigned to this user. */
  assigneeId?: string;
  /** Tasks carrying a label of this name (case-insensitive). */
  label?: string;
  /** Archived tasks: left out (the default), only them, or all. */
  archived?: 'false' | 'true' | 'all';
  /** `open` is every task not completed yet (pending or in progress). */
  status?: TaskStatus | 'all' | 'open';
  priority?: TaskPriority;
  /** Case-insensitive phrases that must all appear in the title or description. */
  words?: string[];
  /** One of the views of the day, with the bounds of the day in the user's zone. */
  due?: { view: DueView; bounds: DayBounds };
}

/** The condition of a view of the day (see `dueViews`). */
function dueCondition(bind: (value: unknown) => string, { view, bounds }: NonNullable<TaskFilter['due']>): string {
  switch (view) {
    case 'today':
      return `t.due_date >= ${bind(bounds.startOfToday)} and t.due_date < ${bind(bounds.startOfTomorrow)}`;
    case 'overdue':
      // A calendar date is overdue once its day is over; a time of day once it has passed.
      return `t.status <> 'completed' and case when t.due_on is not null then t.due_on < ${bind(bounds.today)}::date else t.due_date < ${bind(bounds.now)} end`;
    case 'week':
      return `t.due_date >= ${bind(bounds.startOfToday)} and t.due_date < ${bind(bounds.endOfWeek)}`;
    case 'upcoming':
      return `t.due_date >= ${bind(bounds.startOfTomorrow)}`;
    case 'none':
      return 't.due_date is null';
  }
}

/** The conditions of tasks matching a filter, their values bound with `bind`. One list is an equality (its index serves the order). */
function filterTasks(bind: (value: unknown) => string, filter: TaskFilter): string[] {
  const where = [filter.lists.length === 1 ? `t.list_id = ${bind(filter.lists[0])}` : `t.list_id = any(${bind(filter.lists)}::uuid[])`];
  if (filter.assigneeId) where.push(`t.assignee_id = ${bind(filter.assigneeId)}`);
  if (filter.label) {
    where.push(
      `exists (select 1 from task_labels tl join labels l on l.id = tl.label_id where tl.task_id = t.id and lower(l.name) = lower(${bind(filter.label)}))`,
    );
  }
  if ((filter.archived ?? 'false') !== 'all') where.push(`t.archived_at is ${filter.archived === 'true' ? 'not ' : ''}null`);
  if (filter.status === 'open') where.push("t.status <> 'completed'");
  else if (filter.status && filter.status !== 'all') where.push(`t.status = ${bind(filter.status)}`);
  if (filter.priority) where.push(`t.priority = ${bind(filter.priority)}`);
  if (filter.due) where.push(dueCondition(bind, filter.due));
  for (const word of filter.words ?? []) {
    const pattern = bind(`%${escapeLike(word)}%`);
    where.push(`(t.title ilike ${pattern} or coalesce(t.description, '') ilike ${pattern})`);
  }
  return where;
}

/** A page of tasks: filter, extra conditions (due dates, cursor), order, limit. */
export interface TaskPage {
  filter: TaskFilter;
  dueBefore?: Date;
  dueAfter?: Date;
  plan: SortPlan;
  after?: { key: string | number | null; number: number; id: string };
  limit: number;
}

/** A key right before or after `position` in a list's manual order, next to its neighbour on that side (the task `exceptId` not counting). */
async function keyBeside(em: EntityManager, scope: { listId: string; exceptId: string }, position: string, side: 'before' | 'after'): Promise<string> {
  const order = `coalesce(position, '~') collate "C"`;
  const [neighbour] = await executeBound<{ position: string | null }>(
    em,
    `select position from tasks where list_id = $1 and id <> $2 and ${order} ${side === 'before' ? '<' : '>'} $3 collate "C" order by ${order} ${side === 'before' ? 'desc' : 'asc'} limit 1`,
    [scope.listId, scope.exceptId, position],
  );
  return side === 'before' ? generateKeyBetween(neighbour?.position ?? null, position) : generateKeyBetween(position, neighbour?.position ?? null);
}

export class TasksRepository {
  constructor(private readonly em: EntityManager) {}

  page(page: TaskPage): Promise<TaskFields[]> {
    const { plan } = page;
    const { bind, values } = boundValues();
    const where = filterTasks(bind, page.filter);
    if (page.dueBefore) where.push(`t.due_date < ${bind(page.dueBefore)}`);
    if (page.dueAfter) where.push(`t.due_date > ${bind(page.dueAfter)}`);
    // Within one list (key, number) is unique and its index serves order and cursor alike; across lists numbers repeat, and the id breaks ties.
    const acrossLists = page.filter.lists.length > 1;
    if (page.after) {
      const [rows, cursor] = acrossLists
        ? [`${plan.rowKey}, t.number, t.id`, `${plan.cursorKey(bind(page.after.key))}, ${bind(page.after.number)}, ${bind(page.after.id)}::uuid`]
        : [`${plan.rowKey}, t.number`, `${plan.cursorKey(bind(page.after.key))}, ${bind(page.after.number)}`];
      where.push(`(${rows}) ${plan.descending ? '<' : '>'} (${cursor})`);
    }
    const direction = plan.descending ? 'desc' : 'asc';
    return executeBound<TaskFields>(
      this.em,
      `select ${taskColumns} from ${taskFrom} where ${where.join(' and ')}
        order by ${plan.rowKey} ${direction}, t.number ${direction}${acrossLists ? `, t.id ${direction}` : ''} limit ${bind(page.limit)}`,
      values,
    );
  }

  /** Matching tasks in number order (the personal list's first when there are several). */
  search(filter: TaskFilter, limit: number): Promise<TaskFields[]> {
    const { bind, values } = boundValues();
    const where = filterTasks(bind, filter);
    return executeBound<TaskFields>(
      this.em,
      `select ${taskColumns} from ${taskFrom} join lists l on l.id = t.list_id where ${where.join(' and ')} order by l.personal desc, l.name, t.number limit ${bind(limit)}`,
      values,
    );
  }

  /** One task as clients see it. */
  async read(id: string): Promise<TaskFields | undefined> {
    const [row] = await this.readMany([id]);
    return row;
  }

  async readMany(ids: string[]): Promise<TaskFields[]> {
    return executeBound<TaskFields>(this.em, `select ${taskColumns} from ${taskFrom} where t.id = any($1::uuid[])`, [ids]);
  }

  /** A task the caller belongs to the list of: by uuid, or by number in the list named (else the caller's personal list). */
  async locate(userId: string, { ref, listId }: TaskRef): Promise<LocatedTask | undefined> {
    const byNumber = typeof ref === 'number';
    const [row] = await executeBound<LocatedTask>(
      this.em,
      `select t.id, t.list_id as "listId", m.role from tasks t join list_members m on m.list_id = t.list_id and m.user_id = $1
        where ${byNumber ? 't.list_id = coalesce($3::uuid, (select id from lists where owner_id = $1 and personal)) and t.number = $2' : 't.id = $2 and ($3::uuid is null or t.list_id = $3)'}`,
      [userId, ref, listId ?? null],
    );
    return row;
  }

  /**
   * Every task of a list in number order, `size` at a time, each batch one statement that PostgreSQL
   * cancels after `timeoutMs`. On an EntityManager of its own: the reader outlives the request that
   * starts it (an export is read as it is sent).
   */
  async *allInBatches(listId: string, size: number, timeoutMs: number, archived: 'false' | 'true' | 'all' = 'false'): AsyncGenerator<TaskFields[]> {
    const em = this.em.fork();
    const { bind, values } = boundValues();
    const where = filterTasks(bind, { lists: [listId], archived }).join(' and ');
    for (let after = 0; ; ) {
      const rows = await withStatementTimeout(em, timeoutMs, (tx) =>
        executeBound<TaskFields>(
          tx,
          `select ${taskColumns} from ${taskFrom} where ${where} and t.number > $${values.length + 1} order by t.number limit $${values.length + 2}`,
          [...values, after, size],
        ),
      );
      if (rows.length > 0) yield rows;
      if (rows.length < size) return;
      after = rows.at(-1)!.number;
    }
  }

  /** How many tasks a user has made (against the quota). */
  async countMadeBy(userId: string): Promise<number> {
    const [row] = await executeBound<{ count: number }>(this.em, 'select count(*)::int as count from tasks where created_by_id = $1', [userId]);
    return row!.count;
  }

  /**
   * Inserts a task with its list's next number, taken under the list row's lock, and its history row,
   * in one statement; undefined when the list is gone or the caller may no longer write there.
   */
  async insert(
    listId: string,
    actor: Actor,
    input: Omit<TaskInput, 'due_date'> & { due: ResolvedDue | null; status: TaskStatus; completedAt: Date | null; assigneeId: string | null },
  ): Promise<(TaskFields & { changeId: string }) | undefined> {
    // The values in the select list are cast: a bound value there is text unless told otherwise.
    const [row] = await executeBound<TaskFields & { changeId: string }>(
      this.em,
      // Only while the caller may still write there: a member removed meanwhile inserts nothing.
      `with seq as (
         update lists set task_seq = task_seq + 1
          where id = $1 and exists (select 1 from list_members where list_id = $1 and user_id = $9 and role in ('owner', 'editor'))
          returning task_seq
       ),
       t as (
         insert into tasks (list_id, number, title, description, status, priority, due_date, due_on, completed_at, created_by_id, updated_by_id, assignee_id, recurrence)
         select $1::uuid, seq.task_seq, $2::text, $3::text, $4::text, $5::text, $6::timestamptz, $7::date, $8::timestamptz, $9::uuid, $9::uuid, $10::uuid, $13::text from seq
         returning *
       ),
       h as (
         insert into task_history (task_id, list_id, actor_id, channel, action, changes, conversation_id)
         select t.id, t.list_id, $9::uuid, $11::text, 'created', jsonb_build_object('title', jsonb_build_array(null, t.title), 'number', jsonb_build_array(null, t.number)), $12::uuid from t
         returning id
       )
       select ${taskColumns}, h.id as "changeId" from t left join users a on a.id = t.assignee_id left join users c on c.id = t.created_by_id
         left join users u on u.id = t.updated_by_id, h`,
      [
        listId,
        input.title,
        input.description ?? null,
        input.status,
        input.priority ?? 'medium',
        input.due?.at ?? null,
        input.due?.on ?? null,
        input.completedAt,
        actor.userId,
        input.assigneeId,
        actor.channel,
        actor.conversationId ?? null,
        input.recurrence ?? null,
      ],
    );
    return row;
  }

  /** `position` if no other task of the list holds it now, else a key right after the one that does (an undo puts a task back where it stood, or next to that place). */
  async freePosition(listId: string, position: string, taskId: string): Promise<string> {
    const [holder] = await executeBound(this.em, 'select 1 from tasks where list_id = $1 and position = $2 and id <> $3', [listId, position, taskId]);
    return holder ? keyBeside(this.em, { listId, exceptId: taskId }, position, 'after') : position;
  }

  /**
   * Puts a deleted task back as it was (same id, list, number, labels, comments and reminders), from the
   * snapshot of its deletion, and its files set aside by that deletion (those still kept); undefined
   * when its list is gone.
   */
  async restore(snapshot: Record<string, unknown>, deletion: string): Promise<string | undefined> {
    const [row] = await executeBound<{ id: string }>(
      this.em,
      `with t as (
         insert into tasks select * from jsonb_populate_record(null::tasks, $1::jsonb) where exists (select 1 from lists where id = ($1::jsonb ->> 'list_id')::uuid)
         returning id
       ),
       l as (
         insert into task_labels (task_id, label_id)
         select t.id, label.id from t, jsonb_array_elements_text(coalesce($1::jsonb -> 'label_ids', '[]'::jsonb)) as kept(id) join labels label on label.id = kept.id::uuid
       ),
       c as (
         insert into task_comments select kept.* from t, jsonb_populate_recordset(null::task_comments, coalesce($1::jsonb -> 'comments', '[]'::jsonb)) as kept
       ),
       r as (
         insert into task_reminders select kept.* from t, jsonb_populate_recordset(null::task_reminders, coalesce($1::jsonb -> 'reminders', '[]'::jsonb)) as kept
       ),
       f as (update task_attachments set deleted_at = null, deleted_with = null where deleted_with = $2 and task_id = (select id from t))
       select id from t`,
      [JSON.stringify(snapshot), deletion],
    );
    return row?.id;
  }

  /**
   * Archives every completed task of a list not archived yet, each with its history row, in one
   * statement: the tasks archived.
   */
  async archiveCompleted(listId: string, actor: Actor): Promise<{ id: string; changeId: string }[]> {
    return executeBound<{ id: string; changeId: string }>(
      this.em,
      `with a as (
         update tasks set archived_at = now(), updated_at = now(), updated_by_id = $2 where list_id = $1 and status = 'completed' and archived_at is null
         returning id, list_id, archived_at
       ),
       h as (
         insert into task_history (task_id, list_id, actor_id, channel, action, changes, conversation_id)
         select a.id, a.list_id, $2::uuid, $3::text, 'archived', jsonb_build_object('archived_at', jsonb_build_array(null, to_jsonb(a.archived_at))), $4::uuid from a
         returning id, task_id
       )
       select h.task_id as id, h.id as "changeId" from h`,
      [listId, actor.userId, actor.channel, actor.conversationId ?? null],
    );
  }

  /**
   * Moves a task right before or after another of its list, under the list row's lock (moves of one
   * list are one at a time, so positions never repeat): the first move of a list places every task
   * without a position after the placed ones, in number order (their ids are `placed`). Writes the
   * history row in the same transaction; the position before and after.
   */
  async move(
    task: { id: string; listId: string },
    anchor: { id: string; before: boolean },
    actor: Actor,
  ): Promise<{ changeId: string; from: string | null; to: string; placed: string[] }> {
    return this.em.transactional(async (tx) => {
      await executeBound(tx, 'select id from lists where id = $1 for update', [task.listId]);
      const unplaced = await executeBound<{ id: string }>(tx, 'select id from tasks where list_id = $1 and position is null order by number', [task.listId]);
      if (unplaced.length) {
        const [last] = await executeBound<{ position: string | null }>(tx, `select max(position collate "C") as position from tasks where list_id = $1`, [
          task.listId,
        ]);
        const keys = generateNKeysBetween(last?.position ?? null, null, unplaced.length);
        await executeBound(tx, 'update tasks t set position = p.key from unnest($1::uuid[], $2::text[]) as p(id, key) where t.id = p.id', [
          unplaced.map((row) => row.id),
          keys,
        ]);
      }
      const positions = await executeBound<{ id: string; position: string }>(tx, 'select id, position from tasks where id = any($1::uuid[])', [
        [anchor.id, task.id],
      ]);
      const positionOf = (id: string) => positions.find((row) => row.id === id)!.position;
      const current = positionOf(task.id);
      const to = await keyBeside(tx, { listId: task.listId, exceptId: task.id }, positionOf(anchor.id), anchor.before ? 'before' : 'after');
      const [change] = await executeBound<{ id: string }>(
        tx,
        `with moved as (update tasks set position = $2, updated_at = now(), updated_by_id = $3 where id = $1 returning id, list_id)
         insert into task_history (task_id, list_id, actor_id, channel, action, changes, conversation_id)
         select id, list_id, $3, $4, 'moved', jsonb_build_object('position', jsonb_build_array($5::text, $2::text)), $6::uuid from moved returning id`,
        [task.id, to, actor.userId, actor.channel, current, actor.conversationId ?? null],
      );
      return { changeId: change!.id, from: current, to, placed: unplaced.map((row) => row.id) };
    });
  }

  /** The next number of a list (a task moving there takes it). */
  async nextNumber(listId: string): Promise<number> {
    const [row] = await executeBound<{ task_seq: number }>(this.em, 'update lists set task_seq = task_seq + 1 where id = $1 returning task_seq', [listId]);
    return row!.task_seq;
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

  /**
   * Keeps the calendar-dated tasks of the user's personal list at the start of their day when the
   * user's zone changes (held within the storable years, as resolveDue does). A shared list's dates
   * keep the start of the day in the zone of whoever set them.
   */
  async moveCalendarDates(userId: string, timeZone: string): Promise<void> {
    await executeBound(
      this.em,
      `update tasks set due_date = greatest(least(due_on::timestamp at time zone $1::text, '9999-12-31 23:59:59.999+00'::timestamptz), '0001-01-01 00:00:00+00'::timestamptz)
        where list_id = (select id from lists where owner_id = $2 and personal) and due_on is not null`,
      [timeZone, userId],
    );
  }

  /** The task as an entity, to change and flush. */
  entity(id: string): Promise<Task | null> {
    return this.em.findOne(Task, { id });
  }

  /** A user as the value of a task's relation (updatedBy, assignee). */
  user(id: string): User {
    return this.em.getReference(User, id);
  }

  list(id: string): List {
    return this.em.getReference(List, id);
  }

  flush(): Promise<void> {
    return this.em.flush();
  }

  /** Deletes a task and writes its history row (the task as it was, so that an undo brings it back whole), in one statement. */
  async delete(
    id: string,
    actor: Actor,
    changeId: string = randomUUID(),
  ): Promise<{ id: string; number: number; title: string; listId: string; changeId: string } | undefined> {
    const [row] = await executeBound<{ id: string; number: number; title: string; listId: string; changeId: string }>(
      this.em,
      // The labels, comments and reminders are read in the same snapshot as the row they leave with, and its
      // files are set aside (kept until the undo window closes): the undo puts all of them back.
      `with l as (select coalesce(jsonb_agg(label_id), '[]'::jsonb) as ids from task_labels where task_id = $1),
       c as (select coalesce(jsonb_agg(to_jsonb(c) order by c.created_at), '[]'::jsonb) as rows from task_comments c where task_id = $1),
       r as (select coalesce(jsonb_agg(to_jsonb(r)), '[]'::jsonb) as rows from task_reminders r where task_id = $1),
       d as (delete from tasks where id = $1 returning *),
       f as (update task_attachments set deleted_at = now(), deleted_with = $5::uuid where task_id = (select id from d) and deleted_at is null),
       h as (
         insert into task_history (id, task_id, list_id, actor_id, channel, action, changes, snapshot, conversation_id)
         select $5::uuid, d.id, d.list_id, $2::uuid, $3::text, 'deleted', jsonb_build_object('title', jsonb_build_array(d.title, null)),
                to_jsonb(d) || jsonb_build_object('label_ids', l.ids, 'comments', c.rows, 'reminders', r.rows), $4::uuid from d, l, c, r
         returning id
       )
       select d.id, d.number, d.title, d.list_id as "listId", h.id as "changeId" from d, h`,
      [id, actor.userId, actor.channel, actor.conversationId ?? null, changeId],
    );
    return row;
  }

  /**
   * Moves a recurring task's due date from the occurrence `from` to the next one, if it is still at
   * `from` and no completion moved it within `withinMs`: of two completions of one occurrence (at
   * once, or a click from each tab), one moves it (true), the other finds it moved.
   */
  async moveOccurrence(id: string, from: Date, to: ResolvedDue, withinMs: number): Promise<boolean> {
    const rows = await executeBound(
      this.em,
      `update tasks set due_date = $3, due_on = $4, recurred_at = now()
        where id = $1 and due_date = $2 and (recurred_at is null or recurred_at < now() - make_interval(secs => $5::float8 / 1000)) returning id`,
      [id, from, to.at, to.on, withinMs],
    );
    return rows.length === 1;
  }

  /** A history row for a change made through the entity (written by the same flush as the change). */
  recordChange(task: Task, actor: Actor, action: ChangeAction, changes: FieldChanges, id: string = randomUUID()): TaskChange {
    return this.em.create(TaskChange, {
      id,
      taskId: task.id,
      list: task.list,
      actor: actor.userId,
      channel: actor.channel,
      action,
      changes,
      conversationId: actor.conversationId ?? null,
      snapshot: null,
      undoneBy: null,
    });
  }
}
