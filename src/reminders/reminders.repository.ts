// task_reminders: set, moved with their task's due date, and claimed by the scheduler, each once
// across every instance (FOR UPDATE SKIP LOCKED, marked fired by the claiming statement).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ListRole } from '../db/entities/index.ts';
import { executeBound } from '../db/sql.ts';
import type { ReminderDto } from './reminders.schemas.ts';

/** A reminder's columns as the API shows them (instants as ISO strings, UTC). */
export const reminderJson = (alias: string) =>
  `jsonb_build_object('id', ${alias}.id, 'at', ${iso(`${alias}.at`)}, 'before_minutes', ${alias}.before_minutes,
     'fires_at', ${iso(`${alias}.fires_at`)}, 'fired_at', ${iso(`${alias}.fired_at`)})`;
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A reminder as its reader may act on it: its task, the task's list, and the reader's role there. */
export interface LocatedReminder {
  id: string;
  taskId: string;
  listId: string;
  role: ListRole;
}

/** A reminder claimed by the scheduler: what it says, and who is told. */
export interface FiredReminder {
  reminder: ReminderDto;
  taskId: string;
  firesAt: Date;
  userIds: string[];
}

/** Reminders one task may hold. */
export const maxPerTask = 20;

export class RemindersRepository {
  constructor(private readonly em: EntityManager) {}

  async locate(userId: string, id: string): Promise<LocatedReminder | undefined> {
    const [row] = await executeBound<LocatedReminder>(
      this.em,
      `select r.id, r.task_id as "taskId", t.list_id as "listId", m.role from task_reminders r join tasks t on t.id = r.task_id
         join list_members m on m.list_id = t.list_id and m.user_id = $1 where r.id = $2`,
      [userId, id],
    );
    return row;
  }

  /**
   * A new reminder: at an instant, or `beforeMinutes` before the task's due date ('no due date'
   * when it has none); 'full' when the task has `maxPerTask` already.
   */
  async add(taskId: string, when: { at: Date } | { beforeMinutes: number }): Promise<ReminderDto | 'no due date' | 'full'> {
    const [row] = await executeBound<{ reminder: ReminderDto | null; count: number; due: boolean }>(
      this.em,
      `with task as (select id, due_date, (select count(*)::int from task_reminders where task_id = $1) as count from tasks where id = $1),
       r as (
         insert into task_reminders (task_id, at, before_minutes, fires_at)
         select id, $2::timestamptz, $3::int, coalesce($2::timestamptz, due_date - make_interval(mins => $3::int)) from task
          where count < ${maxPerTask} and ($2::timestamptz is not null or due_date is not null)
         returning *
       )
       select (select ${reminderJson('r')} from r) as reminder, task.count, task.due_date is not null as due from task`,
      [taskId, 'at' in when ? when.at : null, 'at' in when ? null : when.beforeMinutes],
    );
    if (row?.reminder) return row.reminder;
    return row && row.count >= maxPerTask ? 'full' : 'no due date';
  }

  /** A task's reminder fired last, else its next one. */
  async latestOf(taskId: string): Promise<string | undefined> {
    const [row] = await executeBound<{ id: string }>(
      this.em,
      'select id from task_reminders where task_id = $1 order by fired_at desc nulls last, fires_at limit 1',
      [taskId],
    );
    return row?.id;
  }

  async remove(id: string): Promise<void> {
    await executeBound(this.em, 'delete from task_reminders where id = $1', [id]);
  }

  /** Pushes a reminder to `at` (it becomes one at an instant, due again). */
  async snooze(id: string, at: Date): Promise<ReminderDto> {
    const [row] = await executeBound<{ reminder: ReminderDto }>(
      this.em,
      `update task_reminders r set at = $2, before_minutes = null, fires_at = $2, fired_at = null, skipped = false where id = $1 returning ${reminderJson('r')} as reminder`,
      [id, at],
    );
    return row!.reminder;
  }

  /**
   * Follows a task's new due date: reminders relative to it move (due again if they now lie ahead
   * of `now`), and go when it has none; `shiftMs` moves every other one too and makes all of them
   * due again (the task moved to its next occurrence).
   */
  async followDue(taskId: string, dueAt: Date | null, now: Date, shiftMs = 0): Promise<void> {
    if (!dueAt) {
      await executeBound(this.em, 'delete from task_reminders where task_id = $1 and before_minutes is not null', [taskId]);
      return;
    }
    await executeBound(
      this.em,
      `update task_reminders set
         at = at + make_interval(secs => $3::float8 / 1000),
         fires_at = case when before_minutes is null then fires_at + make_interval(secs => $3::float8 / 1000)
                         else $2::timestamptz - make_interval(mins => before_minutes) end,
         fired_at = case when $3::float8 <> 0 then null
                         when before_minutes is not null and $2::timestamptz - make_interval(mins => before_minutes) > $4::timestamptz then null
                         else fired_at end,
         skipped = case when $3::float8 <> 0 then false else skipped end
       where task_id = $1`,
      [taskId, dueAt, shiftMs, now],
    );
  }

  /**
   * Claims up to `limit` reminders due at `now` that no other instance holds, and marks them fired
   * in the same statement: each is claimed once, ever. Those of a completed or archived task are
   * marked skipped and not returned.
   */
  async claimDue(now: Date, limit: number): Promise<{ fired: FiredReminder[]; claimed: number }> {
    const rows = await executeBound<{ reminder: ReminderDto; taskId: string; firesAt: Date; skipped: boolean; userIds: string[] }>(
      this.em,
      `with due as (
         select id from task_reminders where fired_at is null and fires_at <= $1 order by fires_at limit $2 for update skip locked
       )
       update task_reminders r set fired_at = $1, skipped = (t.status = 'completed' or t.archived_at is not null)
       from due, tasks t where r.id = due.id and t.id = r.task_id
       returning ${reminderJson('r')} as reminder, r.task_id as "taskId", r.fires_at as "firesAt", r.skipped,
         array_remove(array[t.created_by_id, t.assignee_id], null)::text[] as "userIds"`,
      [now, limit],
    );
    return { fired: rows.filter((row) => !row.skipped), claimed: rows.length };
  }
}
