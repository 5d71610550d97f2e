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

/** The fields history keeps of a task, as stored (so an undo puts back exactly what was there). */
export function trackedFields(task: Task): Record<string, unknown> {
  const reference = (value: unknown) => (value && typeof value === 'object' && 'id' in value ? (value as { id: string }).id : (value ?? null));
  const instant = (value: Date | null | undefined) => (value ? value.toISOString() : null);
  return {
    title: task.title,
    description: task.description ?? null,
    status: task.status,
    priority: task.priority,
    due_date: instant(task.dueDate),
    due_on: task.dueOn ?? null,
    completed_at: instant(task.completedAt),
    archived_at: instant(task.archivedAt),
    position: task.position ?? null,
    assignee_id: reference(task.assignee),
    list_id: reference(task.list),
    number: task.number,
  };
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
