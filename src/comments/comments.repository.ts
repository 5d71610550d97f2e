// task_comments: each write with its history row, in one transaction.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ListRole } from '../db/entities/index.ts';
import { executeBound } from '../db/sql.ts';
import { displayName } from '../lists/lists.repository.ts';
import { type Timestamp, toIso } from '../shared/timestamps.ts';
import { type Actor, insertChange } from '../tasks/history.ts';
import type { CommentDto } from './comments.schemas.ts';

interface CommentRow {
  id: string;
  taskId: string;
  authorId: string | null;
  authorName: string | null;
  body: string;
  createdAt: Timestamp;
  editedAt: Timestamp | null;
}

/** A comment as its reader may act on it: where it is and the reader's role there. */
export interface LocatedComment extends CommentRow {
  listId: string;
  role: ListRole;
}

export const toCommentDto = (row: CommentRow): CommentDto => ({
  id: row.id,
  task_id: row.taskId,
  author: row.authorId ? { id: row.authorId, name: row.authorName ?? '' } : null,
  body: row.body,
  created_at: toIso(row.createdAt),
  edited_at: row.editedAt ? toIso(row.editedAt) : null,
});

const commentSelect = `select c.id, c.task_id as "taskId", c.author_id as "authorId", ${displayName('a')} as "authorName", c.body,
    c.created_at as "createdAt", c.edited_at as "editedAt"
  from task_comments c left join users a on a.id = c.author_id`;

/** A comment's change as its task's history row: its text before and after, and what an undo needs (its id, or the deleted comment whole). */
const recordComment = (
  tx: EntityManager,
  actor: Actor,
  where: { taskId: string; listId: string },
  text: [string | null, string | null],
  snapshot: Record<string, unknown>,
  changeId?: string,
) => insertChange(tx, actor, { id: changeId, taskId: where.taskId, listId: where.listId, action: 'commented', changes: { comment: text }, snapshot });

/** Comments one task may have: its thread stays one readable page. */
export const maxCommentsPerTask = 500;

export class CommentsRepository {
  constructor(private readonly em: EntityManager) {}

  /** A task's thread, oldest first. */
  ofTask(taskId: string): Promise<CommentRow[]> {
    return executeBound<CommentRow>(this.em, `${commentSelect} where c.task_id = $1 order by c.created_at, c.id`, [taskId]);
  }

  /** A comment the user can see (a member of its task's list), with the user's role there. */
  async locate(userId: string, id: string): Promise<LocatedComment | undefined> {
    const [row] = await executeBound<LocatedComment>(
      this.em,
      `${commentSelect.replace(' from task_comments c', ', t.list_id as "listId", m.role from task_comments c join tasks t on t.id = c.task_id join list_members m on m.list_id = t.list_id and m.user_id = $1')}
       where c.id = $2`,
      [userId, id],
    );
    return row;
  }

  /** A new comment and its history row (named `changeId` for an undo that puts a deleted one back); undefined when the thread is full. */
  create(actor: Actor, task: { id: string; listId: string }, body: string, changeId?: string, kept?: Record<string, unknown>): Promise<CommentRow | undefined> {
    return this.em.transactional(async (tx) => {
      const [created] = await executeBound<{ id: string }>(
        tx,
        kept
          ? 'insert into task_comments select * from jsonb_populate_record(null::task_comments, $1::jsonb) returning id'
          : `insert into task_comments (task_id, author_id, body) select $1, $2, $3
             where (select count(*) from task_comments where task_id = $1) < ${maxCommentsPerTask} returning id`,
        kept ? [JSON.stringify(kept)] : [task.id, actor.userId, body],
      );
      if (!created) return undefined;
      const [row] = await executeBound<CommentRow>(tx, `${commentSelect} where c.id = $1`, [created.id]);
      await recordComment(tx, actor, { taskId: task.id, listId: task.listId }, [null, body], { id: created.id }, changeId);
      return row;
    });
  }

  /** A comment's new text and its history row. */
  edit(actor: Actor, comment: LocatedComment, body: string, changeId?: string): Promise<CommentRow> {
    return this.em.transactional(async (tx) => {
      await executeBound(tx, 'update task_comments set body = $2, edited_at = now() where id = $1', [comment.id, body]);
      const [row] = await executeBound<CommentRow>(tx, `${commentSelect} where c.id = $1`, [comment.id]);
      await recordComment(tx, actor, comment, [comment.body, body], { id: comment.id }, changeId);
      return row!;
    });
  }

  /** Deletes a comment; its history row keeps it whole (an undo puts it back as it was). False when it was gone already. */
  remove(actor: Actor, comment: LocatedComment, changeId?: string): Promise<boolean> {
    return this.em.transactional(async (tx) => {
      const [deleted] = await executeBound<{ row: Record<string, unknown> }>(tx, 'delete from task_comments c where id = $1 returning to_jsonb(c) as row', [
        comment.id,
      ]);
      if (!deleted) return false;
      await recordComment(tx, actor, comment, [comment.body, null], deleted.row, changeId);
      return true;
    });
  }
}
