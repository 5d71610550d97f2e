// task_attachments: what each file is and whose; its bytes are in the file store. A removed file
// (alone or with its task) is only marked, named by the history row that removed it, until the
// undo window closes.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ListRole } from '../db/entities/index.ts';
import { executeBound } from '../db/sql.ts';
import { displayName } from '../lists/lists.repository.ts';
import { type Timestamp, toIso } from '../shared/timestamps.ts';
import { type Actor, insertChange } from '../tasks/history.ts';
import type { AttachmentDto } from './attachments.schemas.ts';

interface AttachmentRow {
  id: string;
  taskId: string;
  filename: string;
  contentType: string;
  size: number;
  uploaderId: string;
  uploaderName: string;
  createdAt: Timestamp;
}

/** An attachment as its reader may act on it: where it is and the reader's role there. */
export interface LocatedAttachment extends AttachmentRow {
  listId: string;
  role: ListRole;
}

export const toAttachmentDto = (row: AttachmentRow): AttachmentDto => ({
  id: row.id,
  task_id: row.taskId,
  filename: row.filename,
  content_type: row.contentType,
  size: Number(row.size),
  uploaded_by: { id: row.uploaderId, name: row.uploaderName },
  created_at: toIso(row.createdAt),
});

const attachmentSelect = `select f.id, f.task_id as "taskId", f.filename, f.content_type as "contentType", f.size::int8::float8 as size,
    f.uploaded_by_id as "uploaderId", ${displayName('u')} as "uploaderName", f.created_at as "createdAt"
  from task_attachments f join users u on u.id = f.uploaded_by_id`;

/** Stored and not removed: a file people see. */
const present = 'f.stored_at is not null and f.deleted_at is null';

/** What ends an upload: the row, or why it cannot be kept. */
export type Finished = { row: AttachmentRow; changeId: string } | { refused: 'quota' | 'task gone' };

export class AttachmentsRepository {
  constructor(private readonly em: EntityManager) {}

  /** A task's files, oldest first. */
  ofTask(taskId: string): Promise<AttachmentRow[]> {
    return executeBound<AttachmentRow>(this.em, `${attachmentSelect} where f.task_id = $1 and ${present} order by f.created_at, f.id`, [taskId]);
  }

  /** A file the user can see (a member of its task's list), with the user's role there. */
  async locate(userId: string, id: string): Promise<LocatedAttachment | undefined> {
    const [row] = await executeBound<LocatedAttachment>(
      this.em,
      `${attachmentSelect.replace(' from task_attachments f', ', t.list_id as "listId", m.role from task_attachments f')}
       join tasks t on t.id = f.task_id join list_members m on m.list_id = t.list_id and m.user_id = $1
       where f.id = $2 and ${present}`,
      [userId, id],
    );
    return row;
  }

  /** The bytes a user's files take (those stored and not removed). */
  async usage(userId: string): Promise<number> {
    const [row] = await executeBound<{ bytes: number }>(
      this.em,
      `select coalesce(sum(size), 0)::float8 as bytes from task_attachments f where uploaded_by_id = $1 and ${present}`,
      [userId],
    );
    return row!.bytes;
  }

  /** The row of an upload that has begun: nobody's file until `finish`. */
  async begin(id: string, taskId: string, userId: string, filename: string): Promise<void> {
    await executeBound(
      this.em,
      "insert into task_attachments (id, task_id, uploaded_by_id, filename, content_type, size) values ($1, $2, $3, $4, 'application/octet-stream', 0)",
      [id, taskId, userId, filename],
    );
  }

  /**
   * Makes an uploaded file the task's, with its history row, if the uploader's files stay within
   * `quota` bytes: checked under a lock per user, so two uploads at once cannot both slip under it.
   */
  finish(
    actor: Actor,
    upload: { id: string; taskId: string; listId: string; filename: string; contentType: string; size: number },
    quota: number,
  ): Promise<Finished> {
    return this.em.transactional(async (tx) => {
      await executeBound(tx, "select pg_advisory_xact_lock(hashtextextended('storage:' || $1, 0))", [actor.userId]);
      const [usage] = await executeBound<{ bytes: number }>(
        tx,
        `select coalesce(sum(size), 0)::float8 as bytes from task_attachments f where uploaded_by_id = $1 and ${present}`,
        [actor.userId],
      );
      if (usage!.bytes + upload.size > quota) return { refused: 'quota' as const };
      const stored = await executeBound(
        tx,
        `update task_attachments set stored_at = now(), content_type = $2, size = $3
         where id = $1 and exists (select 1 from tasks t where t.id = task_id) returning id`,
        [upload.id, upload.contentType, upload.size],
      );
      if (stored.length === 0) return { refused: 'task gone' as const };
      const changeId = await insertChange(tx, actor, {
        taskId: upload.taskId,
        listId: upload.listId,
        action: 'attached',
        changes: { attachment: [null, upload.filename] },
        snapshot: { id: upload.id },
      });
      const [row] = await executeBound<AttachmentRow>(tx, `${attachmentSelect} where f.id = $1`, [upload.id]);
      return { row: row!, changeId };
    });
  }

  /** Forgets an upload that did not finish. */
  async abandon(id: string): Promise<void> {
    await executeBound(this.em, 'delete from task_attachments where id = $1', [id]);
  }

  /**
   * Removes a file, marked with its history row `changeId` (or, for an undo of its removal, brings
   * it back: `restoreFrom` the removal's row); false when it was not there to remove or restore.
   */
  mark(
    actor: Actor,
    file: { id: string; taskId: string; listId: string; filename: string },
    changeId: string = randomUUID(),
    restoreFrom?: string,
  ): Promise<boolean> {
    return this.em.transactional(async (tx) => {
      const changed = await executeBound(
        tx,
        restoreFrom
          ? 'update task_attachments set deleted_at = null, deleted_with = null where id = $1 and deleted_with = $2 returning id'
          : 'update task_attachments set deleted_at = now(), deleted_with = $2 where id = $1 and deleted_at is null and stored_at is not null returning id',
        [file.id, restoreFrom ?? changeId],
      );
      if (changed.length === 0) return false;
      await insertChange(tx, actor, {
        id: changeId,
        taskId: file.taskId,
        listId: file.listId,
        action: 'attached',
        changes: { attachment: restoreFrom ? [null, file.filename] : [file.filename, null] },
        snapshot: { id: file.id },
      });
      return true;
    });
  }

  /**
   * Files nobody can reach any more: removed longer than `retentionMs` ago (the undo window), whose
   * task is gone without them being marked (its list was deleted), or whose upload began an hour
   * ago and never finished.
   */
  async purgeable(retentionMs: number, limit: number): Promise<string[]> {
    const rows = await executeBound<{ id: string }>(
      this.em,
      `select f.id from task_attachments f
       where f.deleted_at < now() - make_interval(secs => $1::float8 / 1000)
          or (f.stored_at is null and f.created_at < now() - interval '1 hour')
          or (f.deleted_at is null and f.stored_at is not null and not exists (select 1 from tasks t where t.id = f.task_id))
       limit $2`,
      [retentionMs, limit],
    );
    return rows.map((row) => row.id);
  }

  async forget(ids: string[]): Promise<void> {
    await executeBound(this.em, 'delete from task_attachments where id = any($1::uuid[])', [ids]);
  }
}
