// A task's files, for one caller: members read and download them, editors upload, the uploader or
// the list's owner removes. An upload streams to the file store as it arrives (never whole in
// memory), counted against the uploader's quota as it goes; its type is read from its first bytes.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { canWrite } from '../lists/lists.service.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { Periodic } from '../shared/periodic.ts';
import type { Actor, ChangeRow } from '../tasks/history.ts';
import { readOnly, type TaskRef, type TasksService } from '../tasks/tasks.service.ts';
import { type AttachmentsRepository, type LocatedAttachment, toAttachmentDto } from './attachments.repository.ts';
import type { AttachmentDto } from './attachments.schemas.ts';
import type { FileStore } from './storage.ts';
import { headSize, sanitizeFilename, sniffType } from './uploads.ts';

/** Where files are announced: to the list room of their task. */
export interface AttachmentEventSink {
  attachmentAdded(listId: string, attachment: AttachmentDto): void;
  attachmentRemoved(listId: string, removed: { id: string; task_id: string }): void;
}

export interface AttachmentLimits {
  /** Bytes one user's files may take together. */
  storagePerUser: number;
  /** How long a removed file (alone or with its task) is kept for an undo. */
  retentionMs: number;
}

/** A task an upload may go to, and the bytes its uploader has left (the final check is `finish`'s, under a lock). */
export interface UploadTarget {
  id: string;
  listId: string;
  room: number;
}

/** A file as it is downloaded. */
export interface Download {
  attachment: AttachmentDto;
  bytes: AsyncIterable<Buffer>;
}

const quotaExceeded = (limit: number) =>
  new AppError('QUOTA_EXCEEDED', `Your files may take at most ${Math.round(limit / 1024 / 1024)} MB together; delete some first`);

export class AttachmentsService {
  /** The purge, one at a time: stop() waits for a running one (the database must outlive it). */
  private readonly purging = new Periodic(() => this.purgeAll());

  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly store: FileStore,
    private readonly tasks: TasksService,
    private readonly events: AttachmentEventSink,
    private readonly limits: AttachmentLimits,
    private readonly log: FastifyBaseLogger,
  ) {
    tasks.registerUndo('attached', (change, undo, undoId) => this.revert(change, undo, undoId));
  }

  async list(userId: string, ref: TaskRef): Promise<AttachmentDto[]> {
    const task = await this.tasks.locate(userId, ref);
    return (await this.attachments.ofTask(task.id)).map(toAttachmentDto);
  }

  /** Who may upload to a task, and the room left in their quota: checked before the first byte is read. */
  async uploadTarget(userId: string, ref: TaskRef): Promise<UploadTarget> {
    const task = await this.tasks.locate(userId, ref);
    if (!canWrite(task.role)) throw readOnly();
    const room = this.limits.storagePerUser - (await this.attachments.usage(userId));
    if (room <= 0) throw quotaExceeded(this.limits.storagePerUser);
    return { id: task.id, listId: task.listId, room };
  }

  /**
   * Stores a file as its bytes arrive: refused as soon as it would pass the uploader's quota, when
   * it is empty, or when its task went meanwhile; nothing of a refused or failed upload is kept.
   */
  async upload(actor: Actor, task: UploadTarget, rawName: string, bytes: AsyncIterable<Uint8Array>): Promise<AttachmentDto> {
    const filename = sanitizeFilename(rawName);
    const id = randomUUID();
    const quota = this.limits.storagePerUser;
    const { room } = task;
    const head = Buffer.alloc(headSize);
    let size = 0;
    const counted = async function* () {
      for await (const piece of bytes) {
        if (size < headSize) Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).copy(head, size);
        size += piece.byteLength;
        if (size > room) throw quotaExceeded(quota);
        yield piece;
      }
    };
    await this.attachments.begin(id, task.id, actor.userId, filename);
    try {
      await this.store.write(id, counted());
      if (size === 0) throw new AppError('VALIDATION_ERROR', 'The file is empty', [{ field: 'file', message: 'must not be empty' }]);
      const contentType = await sniffType(head.subarray(0, Math.min(size, headSize)));
      const finished = await this.attachments.finish(
        actor,
        { id, taskId: task.id, listId: task.listId, filename, contentType, size },
        this.limits.storagePerUser,
      );
      if ('refused' in finished) throw finished.refused === 'quota' ? quotaExceeded(this.limits.storagePerUser) : notFound('Task');
      const attachment = toAttachmentDto(finished.row);
      this.events.attachmentAdded(task.listId, attachment);
      await this.tasks.announceChange(finished.changeId);
      return attachment;
    } catch (error) {
      await this.discard(id);
      throw error;
    }
  }

  /** A file's description and its bytes, for a member of its task's list. */
  async download(userId: string, id: string): Promise<Download> {
    const file = await this.located(userId, id);
    return { attachment: toAttachmentDto(file), bytes: this.store.read(file.id) };
  }

  /** The uploader (an editor still) or the list's owner removes a file; it is kept for an undo until the window closes. */
  async remove(actor: Actor, id: string): Promise<void> {
    const file = await this.located(actor.userId, id);
    if (file.role !== 'owner' && (file.uploaderId !== actor.userId || !canWrite(file.role))) {
      throw new AppError('FORBIDDEN', 'Only its uploader or the list’s owner can remove a file');
    }
    const changeId = randomUUID();
    if (!(await this.attachments.mark(actor, file, changeId))) throw notFound('Attachment');
    this.events.attachmentRemoved(file.listId, { id: file.id, task_id: file.taskId });
    await this.tasks.announceChange(changeId);
  }

  /** Purges, now and every 10 minutes, the files nobody can reach any more (see `purgeable`). */
  async start(): Promise<void> {
    await this.purge();
    this.purging.start(10 * 60_000);
  }

  stop(): Promise<void> {
    return this.purging.stop();
  }

  /** Removes the bytes and then the rows of unreachable files, a batch at a time (one purge at a time); how many went. */
  purge(): Promise<number> {
    return this.purging.run();
  }

  private async purgeAll(): Promise<number> {
    let purged = 0;
    try {
      for (
        let ids = await this.attachments.purgeable(this.limits.retentionMs, 500);
        ids.length;
        ids = await this.attachments.purgeable(this.limits.retentionMs, 500)
      ) {
        await this.store.remove(ids);
        await this.attachments.forget(ids);
        purged += ids.length;
      }
    } catch (error) {
      this.log.warn({ err: error }, 'purging removed files failed; the next round tries again');
    }
    return purged;
  }

  private async discard(id: string): Promise<void> {
    await this.store.remove([id]);
    await this.attachments.abandon(id);
  }

  private async located(userId: string, id: string): Promise<LocatedAttachment> {
    const file = await this.attachments.locate(userId, id);
    if (!file) throw notFound('Attachment');
    return file;
  }

  /** Undoes an upload (the file is removed, kept for the undo window) or a removal (it comes back, if still kept). */
  private async revert(change: ChangeRow, undo: Actor, undoId: string): Promise<void> {
    const [before, after] = change.changes.attachment as [string | null, string | null];
    const file = { id: String(change.snapshot?.id), taskId: change.taskId, listId: change.listId, filename: before ?? after ?? '' };
    const task = await this.tasks.locate(undo.userId, { ref: change.taskId }).catch(() => undefined);
    if (!task) throw new AppError('CONFLICT', 'The task was deleted since');
    const located = { ...file, listId: task.listId };
    if (!(await this.attachments.mark(undo, located, undoId, before === null ? undefined : change.id))) {
      const days = Math.round(this.limits.retentionMs / 86_400_000);
      throw new AppError('CONFLICT', before === null ? 'The file was removed since' : `The file is gone: removed files are kept ${days} days`);
    }
    if (before === null) this.events.attachmentRemoved(task.listId, { id: file.id, task_id: file.taskId });
    else {
      const restored = await this.attachments.locate(undo.userId, file.id);
      if (restored) this.events.attachmentAdded(task.listId, toAttachmentDto(restored));
    }
  }
}
