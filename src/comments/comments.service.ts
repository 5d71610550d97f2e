// A task's comment thread, for one caller: members read it, editors write in it, an author edits
// their own, an author or the list's owner deletes. Every write is a history row, undoable.
import { randomUUID } from 'node:crypto';
import { canWrite } from '../lists/lists.service.ts';
import { AppError, notFound } from '../shared/errors.ts';
import type { Actor, ChangeRow } from '../tasks/history.ts';
import { readOnly, type TaskRef, type TasksService } from '../tasks/tasks.service.ts';
import { type CommentsRepository, type LocatedComment, maxCommentsPerTask, toCommentDto } from './comments.repository.ts';
import type { CommentDto } from './comments.schemas.ts';

/** Where comments are announced: to the list room of their task. */
export interface CommentEventSink {
  commentCreated(listId: string, comment: CommentDto): void;
  commentUpdated(listId: string, comment: CommentDto): void;
  commentDeleted(listId: string, deleted: { id: string; task_id: string }): void;
}

export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly tasks: TasksService,
    private readonly events: CommentEventSink,
  ) {
    tasks.registerUndo('commented', (change, undo, undoId) => this.revert(change, undo, undoId));
  }

  /** A task's comments, oldest first. */
  async list(userId: string, ref: TaskRef): Promise<CommentDto[]> {
    const task = await this.tasks.locate(userId, ref);
    return (await this.comments.ofTask(task.id)).map(toCommentDto);
  }

  async create(actor: Actor, ref: TaskRef, body: string): Promise<CommentDto> {
    const task = await this.tasks.locate(actor.userId, ref);
    if (!canWrite(task.role)) throw readOnly();
    const changeId = randomUUID();
    const row = await this.comments.create(actor, task, body, changeId);
    if (!row) throw new AppError('QUOTA_EXCEEDED', `A task holds at most ${maxCommentsPerTask} comments`);
    return this.announced(task.listId, 'created', toCommentDto(row), changeId);
  }

  /** The author changes the text. */
  async edit(actor: Actor, id: string, body: string): Promise<CommentDto> {
    const comment = await this.located(actor.userId, id);
    if (comment.authorId !== actor.userId) throw new AppError('FORBIDDEN', 'Only its author can edit a comment');
    if (!canWrite(comment.role)) throw readOnly();
    if (comment.body === body) return toCommentDto(comment);
    const changeId = randomUUID();
    return this.announced(comment.listId, 'updated', toCommentDto(await this.comments.edit(actor, comment, body, changeId)), changeId);
  }

  /** The author, or the list's owner, deletes it. */
  async remove(actor: Actor, id: string): Promise<void> {
    const comment = await this.located(actor.userId, id);
    if (comment.role !== 'owner' && (comment.authorId !== actor.userId || !canWrite(comment.role))) {
      throw new AppError('FORBIDDEN', 'Only its author or the list’s owner can delete a comment');
    }
    const changeId = randomUUID();
    if (!(await this.comments.remove(actor, comment, changeId))) throw notFound('Comment');
    this.events.commentDeleted(comment.listId, { id: comment.id, task_id: comment.taskId });
    await this.tasks.announceChange(changeId);
  }

  private async located(userId: string, id: string): Promise<LocatedComment> {
    const comment = await this.comments.locate(userId, id);
    if (!comment) throw notFound('Comment');
    return comment;
  }

  /** Tells the list's room of a comment and of its history row (the activity feed). */
  private async announced(listId: string, how: 'created' | 'updated', comment: CommentDto, changeId: string): Promise<CommentDto> {
    if (how === 'created') this.events.commentCreated(listId, comment);
    else this.events.commentUpdated(listId, comment);
    await this.tasks.announceChange(changeId);
    return comment;
  }

  /** Undoes a comment's creation (deletes it), edit (the old text back) or deletion (it comes back as it was). */
  private async revert(change: ChangeRow, undo: Actor, undoId: string): Promise<void> {
    const [before, after] = change.changes.comment as [string | null, string | null];
    const id = String(change.snapshot?.id);
    if (before === null || after !== null) {
      const comment = await this.comments.locate(undo.userId, id);
      if (!comment) throw new AppError('CONFLICT', 'The comment was deleted since');
      if (before === null) {
        await this.comments.remove(undo, comment, undoId);
        this.events.commentDeleted(comment.listId, { id, task_id: comment.taskId });
      } else this.events.commentUpdated(comment.listId, toCommentDto(await this.comments.edit(undo, comment, before, undoId)));
      return;
    }
    const task = await this.tasks.locate(undo.userId, { ref: change.taskId }).catch(() => undefined);
    if (!task) throw new AppError('CONFLICT', 'The task was deleted since');
    const row = await this.comments.create(undo, task, before, undoId, change.snapshot!);
    this.events.commentCreated(task.listId, toCommentDto(row!));
  }
}
