// A task's history (the seeds' task_history): what a change changed, field by field, as rows read
// back for a task, a list's activity feed, and undo.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChangeAction, ChangeChannel, FieldChanges, Task } from '../db/entities/index.ts';
import { executeBound } from '../db/sql.ts';
import { displayName } from '../lists/lists.repository.ts';
import { type Timestamp, toIso } from '../shared/timestamps.ts';
import type { ChangeDto } from './tasks.schemas.ts';

/** Who changes a task, through what, and for the assistant in which conversation. */
export interface Actor {
  userId: string;
  channel: ChangeChannel;
  conversationId?: string;
}

/** How a change refers to users and lists when it is put back. */
export interface References {
  user(id: string): Task['assignee'];
  list(id: string): Task['list'];
}

/** A tracked field: read from a task as stored, and the task's properties that put a kept value back (an undo). */
interface TrackedField {
  read(task: Task): unknown;
  put(value: unknown, references: References): Partial<Task>;
}

const text = (value: unknown) => (value as string | null) ?? null;
const instant = (value: Date | null | undefined) => (value ? value.toISOString() : null);
const date = (value: unknown) => (value ? new Date(value as string) : null);
const idOf = (value: { id: string } | null | undefined) => value?.id ?? null;

/** The fields history keeps of a task, as stored (so an undo puts back exactly what was there): each read and written in one place. */
const tracked: Record<string, TrackedField> = {
  title: { read: (task) => task.title, put: (value) => ({ title: value as string }) },
  description: { read: (task) => task.description ?? null, put: (value) => ({ description: text(value) }) },
  status: { read: (task) => task.status, put: (value) => ({ status: value as Task['status'] }) },
  priority: { read: (task) => task.priority, put: (value) => ({ priority: value as Task['priority'] }) },
  due_date: { read: (task) => instant(task.dueDate), put: (value) => ({ dueDate: date(value) }) },
  due_on: { read: (task) => task.dueOn ?? null, put: (value) => ({ dueOn: text(value) }) },
  completed_at: { read: (task) => instant(task.completedAt), put: (value) => ({ completedAt: date(value) }) },
  archived_at: { read: (task) => instant(task.archivedAt), put: (value) => ({ archivedAt: date(value) }) },
  recurrence: { read: (task) => task.recurrence ?? null, put: (value) => ({ recurrence: text(value) }) },
  position: { read: (task) => task.position ?? null, put: (value) => ({ position: text(value) }) },
  assignee_id: {
    read: (task) => idOf(task.assignee),
    put: (value, references) => ({ assignee: value ? references.user(value as string) : null }),
  },
  list_id: { read: (task) => idOf(task.list), put: (value, references) => ({ list: references.list(value as string) }) },
  number: { read: (task) => task.number, put: (value) => ({ number: value as number }) },
};

export function trackedFields(task: Task): Record<string, unknown> {
  return Object.fromEntries(Object.entries(tracked).map(([field, { read }]) => [field, read(task)]));
}

/** Puts a tracked field back to a value history kept. */
export function revertField(task: Task, field: string, value: unknown, references: References): void {
  if (tracked[field]) Object.assign(task, tracked[field].put(value, references));
}

/** What changed between two snapshots of the tracked fields. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): FieldChanges {
  return Object.fromEntries(Object.keys(after).flatMap((field) => (before[field] === after[field] ? [] : [[field, [before[field], after[field]]]])));
}

/** The action a change of fields is: archiving, moving between lists, completing, reopening, else updating. */
export function actionOf(changes: FieldChanges): ChangeAction {
  if (changes.archived_at) return changes.archived_at[1] ? 'archived' : 'unarchived';
  if (changes.list_id || changes.position) return 'moved';
  if (changes.status?.[1] === 'completed') return 'completed';
  if (changes.status?.[0] === 'completed') return 'reopened';
  return 'updated';
}

export interface ChangeRow {
  id: string;
  taskId: string;
  listId: string;
  actorId: string | null;
  actorName: string | null;
  channel: ChangeChannel;
  action: ChangeAction;
  changes: FieldChanges;
  snapshot: Record<string, unknown> | null;
  conversationId: string | null;
  undoneBy: string | null;
  at: Timestamp;
}

/**
 * What a change touched, for an undo's conflict check: its fields, and a comment or file by its id
 * (two comments on one task do not stand in each other's way).
 */
export const touchedKeys = (row: ChangeRow): string[] =>
  Object.keys(row.changes).map((field) =>
    (field === 'comment' || field === 'attachment') && row.snapshot?.id ? `${field}:${String(row.snapshot.id)}` : field,
  );

/** A history row written by a statement of its own (in the caller's transaction): a comment or a file, which are not task fields. */
export interface NewChange {
  id?: string;
  taskId: string;
  listId: string;
  action: ChangeAction;
  changes: FieldChanges;
  /** What an undo needs that `changes` does not say (the comment's or file's id, a deleted comment whole). */
  snapshot: Record<string, unknown>;
}

export async function insertChange(em: EntityManager, actor: Actor, change: NewChange): Promise<string> {
  const [row] = await executeBound<{ id: string }>(
    em,
    `insert into task_history (id, task_id, list_id, actor_id, channel, action, changes, snapshot, conversation_id)
     values (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9) returning id`,
    [
      change.id ?? null,
      change.taskId,
      change.listId,
      actor.userId,
      actor.channel,
      change.action,
      JSON.stringify(change.changes),
      JSON.stringify(change.snapshot),
      actor.conversationId ?? null,
    ],
  );
  return row!.id;
}

export const toChangeDto = (row: ChangeRow): ChangeDto => ({
  id: row.id,
  task_id: row.taskId,
  list_id: row.listId,
  actor: row.actorId ? { id: row.actorId, name: row.actorName ?? '' } : null,
  channel: row.channel,
  action: row.action,
  changes: row.changes,
  undone: row.undoneBy !== null,
  at: toIso(row.at),
});

const changeSelect = `select h.id, h.task_id as "taskId", h.list_id as "listId", h.actor_id as "actorId", ${displayName('a')} as "actorName", h.channel, h.action,
    h.changes, h.snapshot, h.conversation_id as "conversationId", h.undone_by as "undoneBy", h.at
  from task_history h left join users a on a.id = h.actor_id`;

export class HistoryRepository {
  constructor(private readonly em: EntityManager) {}

  async change(id: string): Promise<ChangeRow | undefined> {
    const [row] = await this.changes([id]);
    return row;
  }

  changes(ids: string[]): Promise<ChangeRow[]> {
    return executeBound<ChangeRow>(this.em, `${changeSelect} where h.id = any($1::uuid[])`, [ids]);
  }

  /** Newest first, a page at a time: of a task, or of a list (its activity). */
  page(where: { taskId: string } | { listId: string }, limit: number, before?: { at: string; id: string }): Promise<ChangeRow[]> {
    const [column, value] = 'taskId' in where ? ['h.task_id', where.taskId] : ['h.list_id', where.listId];
    return executeBound<ChangeRow>(
      this.em,
      `${changeSelect} where ${column} = $1 ${before ? 'and (h.at, h.id) < ($3::timestamptz, $4::uuid)' : ''} order by h.at desc, h.id desc limit $2`,
      [value, limit, ...(before ? [before.at, before.id] : [])],
    );
  }

  /**
   * A user's latest changes not undone yet (never an undo itself): in one conversation, through one
   * channel, or any.
   */
  latestOf(userId: string, count: number, scope: { conversationId?: string; channel?: ChangeChannel } = {}): Promise<ChangeRow[]> {
    return executeBound<ChangeRow>(
      this.em,
      `${changeSelect} where h.actor_id = $1 and h.channel <> 'undo' and h.undone_by is null
         and ($3::uuid is null or h.conversation_id = $3) and ($4::text is null or h.channel = $4)
       order by h.at desc, h.id desc limit $2`,
      [userId, count, scope.conversationId ?? null, scope.channel ?? null],
    );
  }

  /** Claims a change for an undo (the undo's own id): false when another undo has it already (two undos at once: one wins). */
  async claim(changeId: string, undoId: string): Promise<boolean> {
    const rows = await executeBound(this.em, 'update task_history set undone_by = $2 where id = $1 and undone_by is null returning id', [changeId, undoId]);
    return rows.length === 1;
  }

  /** Gives a claim back (the undo failed). */
  async release(changeId: string, undoId: string): Promise<void> {
    await executeBound(this.em, 'update task_history set undone_by = null where id = $1 and undone_by = $2', [changeId, undoId]);
  }

  /** The changes of a task made after one of its changes. */
  later(change: ChangeRow): Promise<ChangeRow[]> {
    // A change in the same millisecond counts as later: an undo would rather refuse than undo over it.
    return executeBound<ChangeRow>(this.em, `${changeSelect} where h.task_id = $1 and h.at >= $2::timestamptz and h.id <> $3 order by h.at, h.id`, [
      change.taskId,
      change.at,
      change.id,
    ]);
  }
}
