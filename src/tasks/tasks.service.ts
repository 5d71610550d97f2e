// Every task operation, for one caller, on the lists the caller belongs to: REST routes and the
// assistant's tools both call these. A non-member never learns a task exists (NOT_FOUND); a viewer
// reads only (FORBIDDEN on a write).
import { randomUUID } from 'node:crypto';
import type { ChangeAction, Task, TaskStatus } from '../db/entities/index.ts';
import { taskPriorities } from '../db/entities/task.entity.ts';
import type { LabelsRepository } from '../labels/labels.repository.ts';
import type { ListsRepository } from '../lists/lists.repository.ts';
import { canWrite } from '../lists/lists.service.ts';
import type { RemindersRepository } from '../reminders/reminders.repository.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { type DueDate, dayBounds, needsZone, type ResolvedDue, resolveDue } from '../shared/dates.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { toIso } from '../shared/timestamps.ts';
import { type Actor, actionOf, type ChangeRow, diff, type HistoryRepository, revertField, toChangeDto, touchedKeys, trackedFields } from './history.ts';
import { nextOccurrence } from './recurrence.ts';
import { type LocatedTask, sortPlan, type TaskFields, type TaskFilter, type TaskRef, type TasksRepository } from './tasks.repository.ts';
import type { ChangeDto, DueView, TaskDto, TaskInput, TaskListQuery, TaskPatch, TaskSort } from './tasks.schemas.ts';

export type { Actor } from './history.ts';
export type { TaskRef } from './tasks.repository.ts';

export interface TaskSearch extends Omit<TaskFilter, 'lists' | 'due'> {
  /** A view of the day, in the user's zone. */
  due?: DueView;
  /** One list (the caller must belong to it); every list of the caller when absent. */
  listId?: string;
  limit?: number;
}

/** Where task changes are announced: to the list's room (every member's tabs). */
export interface TaskEventSink {
  taskCreated(listId: string, task: TaskDto): void;
  taskUpdated(listId: string, task: TaskDto): void;
  taskDeleted(listId: string, deleted: { id: string; number: number; list_id: string }): void;
  /** A history row of a task of the list (its activity feed). */
  changed(listId: string, entry: ChangeDto): void;
}

/** Where a new task goes and who it is for. */
export interface TaskPlacement {
  /** Default: the caller's personal list. */
  list_id?: string;
  /** A member of that list. */
  assignee_id?: string | null;
}

const person = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);

export function toTaskDto(task: TaskFields): TaskDto {
  return {
    id: task.id,
    list_id: task.listId,
    number: task.number,
    title: task.title,
    description: task.description ?? null,
    status: task.status,
    completed: task.status === 'completed',
    priority: task.priority,
    due_date: task.dueOn ?? (task.dueDate ? toIso(task.dueDate) : null),
    completed_at: task.completedAt ? toIso(task.completedAt) : null,
    archived_at: task.archivedAt ? toIso(task.archivedAt) : null,
    recurrence: task.recurrence ?? null,
    reminders: task.reminders ?? [],
    position: task.position ?? null,
    labels: task.labels,
    assignee: person(task.assigneeId, task.assigneeName),
    created_by: person(task.createdById, task.createdByName),
    updated_by: person(task.updatedById, task.updatedByName),
    created_at: toIso(task.createdAt),
    updated_at: toIso(task.updatedAt),
  };
}

/** A task list cursor: the sort it belongs to, the last row's sort key, number and id. */
function decodeTaskCursor(cursor: string, sort: TaskSort): { key: string | number | null; number: number; id: string } {
  const [, key, number, id] = decodeCursor(
    cursor,
    ([cursorSort, key, number, id]) =>
      cursorSort === sort &&
      cursorPart.int(number, 1, 2_147_483_647) &&
      cursorPart.uuid(id) &&
      (sort.endsWith('priority')
        ? cursorPart.int(key, 1, taskPriorities.length)
        : sort.endsWith('position')
          ? typeof key === 'string' && /^[0-9A-Za-z~]{1,200}$/.test(key)
          : cursorPart.timestamp(key) || (key === null && sort.endsWith('due_date'))),
    'is not a cursor from this list and sort',
  );
  return { key: key as string | number | null, number: number as number, id: id as string };
}

function setDue(task: Task, due: ResolvedDue | null): void {
  task.dueDate = due?.at ?? null;
  task.dueOn = due?.on ?? null;
}

function statusFields(status: TaskStatus, previous?: { status: TaskStatus; completedAt?: Date | null }) {
  if (status !== 'completed') return { status, completedAt: null };
  return { status, completedAt: previous?.status === 'completed' && previous.completedAt ? previous.completedAt : new Date() };
}

/** Where a task was before a change. */
interface Origin {
  listId: string;
  number: number;
}

const recurrenceNeedsDue = () =>
  new AppError('VALIDATION_ERROR', 'A recurring task needs a due date: its first occurrence', [{ field: 'recurrence', message: 'needs a due date' }]);

export const readOnly = () => new AppError('FORBIDDEN', 'You can read this list but not change it');

/**
 * How an undo reverts a change of something a task has besides its fields (a comment, a file): it
 * writes the undo's history row, named `undoId`, in the same statement or transaction as the revert.
 */
export type Reverter = (change: ChangeRow, undo: Actor, undoId: string) => Promise<void>;

export class TasksService {
  /** The tracked fields of tasks loaded to change, as they were (history diffs against them). */
  private readonly snapshots = new WeakMap<Task, Record<string, unknown>>();
  private readonly reverters = new Map<ChangeAction, Reverter>();

  constructor(
    private readonly tasks: TasksRepository,
    private readonly history_: HistoryRepository,
    private readonly labels: LabelsRepository,
    private readonly lists: ListsRepository,
    private readonly events: TaskEventSink,
    /** Tasks one user may make. */
    private readonly quota: number,
    private readonly reminders: RemindersRepository,
    /** Now (the views of the day read it; tests move it). */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Teaches undo to revert one more kind of change (the comments' and attachments' services register theirs). */
  registerUndo(action: ChangeAction, reverter: Reverter): void {
    this.reverters.set(action, reverter);
  }

  /** A page of the caller's tasks: of one list, or of every list the caller belongs to. */
  async list(userId: string, listQuery: TaskListQuery): Promise<{ tasks: TaskDto[]; next_cursor: string | null }> {
    // One list reads in its manual order unless a sort is asked; every list, newest first.
    const query = { ...listQuery, sort: listQuery.sort ?? (listQuery.list_id ? 'position' : '-created_at') } as const;
    const plan = sortPlan(query.sort);
    const zone = needsZone(query.due_before) || needsZone(query.due_after) || query.due ? await this.timeZone(userId) : 'UTC';
    const rows = await this.tasks.page({
      filter: {
        lists: await this.readable(userId, query.list_id),
        assigneeId: query.assignee === 'me' ? userId : query.assignee,
        archived: query.archived,
        label: query.label,
        status: query.status,
        priority: query.priority,
        words: query.q ? [query.q] : [],
        due: query.due && { view: query.due, bounds: dayBounds(this.clock(), zone) },
      },
      dueBefore: query.due_before && resolveDue(query.due_before, zone, 'due_before').at,
      dueAfter: query.due_after && resolveDue(query.due_after, zone, 'due_after').at,
      plan,
      after: query.cursor ? decodeTaskCursor(query.cursor, query.sort) : undefined,
      limit: query.limit + 1,
    });
    const tasks = rows.slice(0, query.limit).map(toTaskDto);
    const lastRow = rows[query.limit - 1];
    const next_cursor = rows.length > query.limit && lastRow ? encodeCursor([query.sort, plan.keyOf(lastRow), lastRow.number, lastRow.id]) : null;
    return { tasks, next_cursor };
  }

  /** The assistant's lookup: every task whose title or description holds all the words. */
  async search(userId: string, search: TaskSearch): Promise<TaskDto[]> {
    const { listId, limit, due, ...filter } = search;
    const view = due && { view: due, bounds: dayBounds(this.clock(), await this.timeZone(userId)) };
    return (await this.tasks.search({ ...filter, due: view, lists: await this.readable(userId, listId) }, limit ?? 200)).map(toTaskDto);
  }

  /**
   * Every task of a list (the caller's personal one by default), read a batch at a time as it is
   * consumed (an export). Access is checked before the first byte: a refusal is an answer, not a cut stream.
   */
  async allInBatches(
    userId: string,
    statementTimeoutMs: number,
    listId?: string,
    archived: 'false' | 'true' | 'all' = 'false',
  ): Promise<AsyncIterable<TaskDto[]>> {
    const [list] = await this.readable(userId, listId ?? (await this.lists.personalListId(userId)));
    const batches = this.tasks.allInBatches(list!, 500, statementTimeoutMs, archived);
    return (async function* () {
      for await (const rows of batches) yield rows.map(toTaskDto);
    })();
  }

  async create(actor: Actor, input: TaskInput & TaskPlacement): Promise<TaskDto> {
    const { list_id, assignee_id, ...task } = input;
    return (await this.createAll(actor, [task], { list_id, assignee_id }))[0]!;
  }

  /** Creates tasks in order in one list, each announced; the user's zone is read once for all of them (an import). */
  async createAll(actor: Actor, inputs: TaskInput[], placement: TaskPlacement = {}): Promise<TaskDto[]> {
    const { userId } = actor;
    const listId = placement.list_id ?? (await this.lists.personalListId(userId));
    await this.writable(userId, listId);
    const assigneeId = placement.assignee_id ? await this.member(listId, placement.assignee_id) : null;
    if ((await this.tasks.countMadeBy(userId)) + inputs.length > this.quota) {
      throw new AppError('QUOTA_EXCEEDED', `A user may make at most ${this.quota} tasks; delete some first`);
    }
    const zone = inputs.some((input) => needsZone(input.due_date)) ? await this.timeZone(userId) : 'UTC';
    // Every due date is checked before the first insert: a bad one creates none.
    const dues = inputs.map(({ due_date }) => (due_date ? resolveDue(due_date, zone) : null));
    if (inputs.some((input, index) => input.recurrence && !dues[index])) throw recurrenceNeedsDue();
    const created: TaskDto[] = [];
    for (const [index, { due_date: _dueDate, ...fields }] of inputs.entries()) {
      const status = fields.status ?? 'pending';
      const due = dues[index] ?? null;
      const row = await this.tasks.insert(listId, actor, { ...fields, due, status, completedAt: status === 'completed' ? new Date() : null, assigneeId });
      if (!row) throw notFound('List');
      const task = toTaskDto(row);
      this.events.taskCreated(listId, task);
      await this.announceChange(row.changeId);
      created.push(task);
    }
    return created;
  }

  async get(userId: string, ref: TaskRef): Promise<TaskDto> {
    return toTaskDto((await this.tasks.read((await this.locate(userId, ref)).id))!);
  }

  /** Changes some fields; `list_id` moves the task to another list (an editor on both; it takes the next number there). */
  async update(actor: Actor, ref: TaskRef, patch: TaskPatch & TaskPlacement): Promise<TaskDto> {
    const { userId } = actor;
    const { task, from } = await this.load(userId, ref);
    if (patch.title !== undefined) task.title = patch.title;
    if (patch.description !== undefined) task.description = patch.description;
    if (patch.priority !== undefined) task.priority = patch.priority;
    if (patch.due_date !== undefined) setDue(task, await this.resolve(userId, patch.due_date));
    const status = patch.status ?? (patch.completed === undefined ? undefined : patch.completed ? 'completed' : 'pending');
    if (status !== undefined) Object.assign(task, statusFields(status, task));
    const to = patch.list_id ?? from.listId;
    if (to !== from.listId) {
      await this.writable(userId, to);
      task.list = this.tasks.list(to);
      task.number = await this.tasks.nextNumber(to);
      // An assignee who is not in the new list is no longer the assignee.
      const stays = task.assignee && patch.assignee_id === undefined && (await this.lists.role(task.assignee.id, to));
      if (!stays && patch.assignee_id === undefined) task.assignee = null;
    }
    if (patch.assignee_id !== undefined) task.assignee = patch.assignee_id ? this.tasks.user(await this.member(to, patch.assignee_id)) : null;
    if (patch.recurrence !== undefined) task.recurrence = patch.recurrence;
    if (task.recurrence && !task.dueDate) throw recurrenceNeedsDue();
    return this.save(actor, task, from);
  }

  /** PUT: the editable fields become the body's, omitted ones their defaults. */
  async replace(actor: Actor, ref: TaskRef, input: TaskInput): Promise<TaskDto> {
    const { userId } = actor;
    const { task, from } = await this.load(userId, ref);
    Object.assign(task, {
      title: input.title,
      description: input.description ?? null,
      priority: input.priority ?? 'medium',
      ...statusFields(input.status ?? 'pending', task),
      recurrence: input.recurrence ?? null,
    });
    setDue(task, await this.resolve(userId, input.due_date));
    if (task.recurrence && !task.dueDate) throw recurrenceNeedsDue();
    return this.save(actor, task, from);
  }

  /**
   * Sets completion, or toggles it when `completed` is undefined. Completing a recurring task moves
   * it to its next occurrence (a "completed" row, then the move as a row of channel "recurrence"),
   * or completes it for good once its rule has ended.
   */
  async setCompleted(actor: Actor, ref: TaskRef, completed?: boolean): Promise<TaskDto> {
    const { task, from } = await this.load(actor.userId, ref);
    const done = completed ?? task.status !== 'completed';
    if (done === (task.status === 'completed')) return this.save(actor, task, from);
    Object.assign(task, statusFields(done ? 'completed' : 'pending', task));
    if (!done || !task.recurrence || !task.dueDate) return this.save(actor, task, from);
    const due = { at: task.dueDate, on: task.dueOn ?? null };
    const next = nextOccurrence(task.recurrence, due, await this.timeZone(actor.userId));
    if (!next) return this.save(actor, task, from);
    // Two tabs completing one occurrence (at once, or a click from each within seconds): the first
    // moves it, the second finds it moved and changes nothing. Nobody finishes a daily task twice in 5 s.
    if (!(await this.tasks.moveOccurrence(task.id, due.at, next.due, 5_000))) return toTaskDto((await this.tasks.read(task.id))!);
    await this.save(actor, task, from);
    this.snapshots.set(task, trackedFields(task));
    Object.assign(task, statusFields('pending'), { recurrence: next.rule });
    setDue(task, next.due);
    const moved = await this.save({ ...actor, channel: 'recurrence' }, task, from, undefined, 'updated');
    await this.reminders.followDue(task.id, next.due.at, this.clock(), next.due.at.getTime() - due.at.getTime());
    return this.announceUpdated(moved.id);
  }

  /** Completes a recurring task for good: its rule ends. */
  async completeForever(actor: Actor, ref: TaskRef): Promise<TaskDto> {
    const { task, from } = await this.load(actor.userId, ref);
    Object.assign(task, statusFields('completed', task), { recurrence: null });
    return this.save(actor, task, from);
  }

  /** Moves a task right before or after another task of its list (the manual order). */
  async move(actor: Actor, ref: TaskRef, anchor: { before?: TaskRef; after?: TaskRef }): Promise<TaskDto> {
    const task = await this.locate(actor.userId, ref);
    if (!canWrite(task.role)) throw readOnly();
    const [field, anchorRef] = anchor.before ? (['before', anchor.before] as const) : (['after', anchor.after!] as const);
    // A bare number counts in the moved task's list.
    const target = await this.tasks.locate(
      actor.userId,
      typeof anchorRef.ref === 'number' && !anchorRef.listId ? { ...anchorRef, listId: task.listId } : anchorRef,
    );
    if (!target || target.listId !== task.listId || target.id === task.id) {
      throw new AppError('VALIDATION_ERROR', `Invalid ${field}`, [{ field, message: 'must be another task of the same list' }]);
    }
    const { changeId, placed } = await this.tasks.move(task, { id: target.id, before: field === 'before' }, actor);
    // A list's first move gives its other tasks their positions too: every tab learns them.
    for (const other of await this.tasks.readMany(placed.filter((id) => id !== task.id))) this.events.taskUpdated(task.listId, toTaskDto(other));
    const moved = toTaskDto((await this.tasks.read(task.id))!);
    this.events.taskUpdated(task.listId, moved);
    await this.announceChange(changeId);
    return moved;
  }

  /** Archives a task (out of the default reads), or brings it back. */
  async setArchived(actor: Actor, ref: TaskRef, archived: boolean): Promise<TaskDto> {
    const { task, from } = await this.load(actor.userId, ref);
    if (archived !== Boolean(task.archivedAt)) task.archivedAt = archived ? new Date() : null;
    return this.save(actor, task, from);
  }

  /** Replaces the caller's labels on a task (every member's labels show; each changes their own). */
  async setLabels(actor: Actor, ref: TaskRef, labelIds: string[], field = 'label_ids'): Promise<TaskDto> {
    const located = await this.locate(actor.userId, ref);
    if (!canWrite(located.role)) throw readOnly();
    const ids = await this.labels.own(actor.userId, labelIds, field);
    return this.relabel(actor, located.id, located.listId, ids);
  }

  /** The caller's labels by name (those missing are made): the assistant's "tag it as work". */
  labelIdsByName(userId: string, names: string[]): Promise<string[]> {
    return this.labels.byNames(userId, names);
  }

  /** Archives every completed task of a list at once (an editor): how many. */
  async archiveCompleted(actor: Actor, listId: string): Promise<{ archived: number }> {
    await this.writable(actor.userId, listId);
    const archived = await this.tasks.archiveCompleted(listId, actor);
    if (archived.length === 0) return { archived: 0 };
    for (const task of await this.tasks.readMany(archived.map(({ id }) => id))) this.events.taskUpdated(listId, toTaskDto(task));
    for (const change of await this.history_.changes(archived.map(({ changeId }) => changeId))) this.events.changed(listId, toChangeDto(change));
    return { archived: archived.length };
  }

  async remove(actor: Actor, ref: TaskRef): Promise<{ id: string; number: number; title: string }> {
    const located = await this.locate(actor.userId, ref);
    if (!canWrite(located.role)) throw readOnly();
    const row = await this.tasks.delete(located.id, actor);
    if (!row) throw notFound('Task');
    this.events.taskDeleted(row.listId, { id: row.id, number: row.number, list_id: row.listId });
    await this.announceChange(row.changeId);
    return row;
  }

  /**
   * Undoes the caller's latest `count` changes not undone yet, newest first: those of one
   * conversation (the assistant's "undo that"), or of one channel (an MCP client's). Stops at the
   * first that cannot be undone, with what it could undo before.
   */
  async undoLatest(actor: Actor, count: number): Promise<{ undone: { undone: ChangeDto; task: TaskDto | null }[]; refused?: string }> {
    const scope = actor.conversationId ? { conversationId: actor.conversationId } : { channel: actor.channel };
    const latest = await this.history_.latestOf(actor.userId, count, scope);
    if (latest.length === 0) throw notFound('Change to undo');
    const undone: { undone: ChangeDto; task: TaskDto | null }[] = [];
    for (const change of latest) {
      try {
        undone.push(await this.undoChange(actor, change));
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500 || undone.length === 0) throw error;
        return { undone, refused: error.message };
      }
    }
    return { undone };
  }

  /** A task's history, newest first, a page at a time. */
  async history(userId: string, ref: TaskRef, query: { limit: number; cursor?: string }): Promise<{ history: ChangeDto[]; next_cursor: string | null }> {
    const { id } = await this.locate(userId, ref);
    return this.changesPage({ taskId: id }, query);
  }

  /** A list's activity: every change of its tasks, newest first, a page at a time. */
  async activity(userId: string, listId: string, query: { limit: number; cursor?: string }): Promise<{ activity: ChangeDto[]; next_cursor: string | null }> {
    await this.readable(userId, listId);
    const { history, next_cursor } = await this.changesPage({ listId }, query);
    return { activity: history, next_cursor };
  }

  /**
   * Reverts one of the caller's changes (the latest not undone yet, or the one named) when no later
   * change touched the same fields; else CONFLICT naming who changed them since. A created task is
   * deleted, a deleted one comes back whole, changed fields get their values back. The undo is
   * itself a change (channel "undo"), which can be undone by naming it.
   */
  async undo(actor: Actor, changeId?: string): Promise<{ undone: ChangeDto; task: TaskDto | null }> {
    const [change] = changeId ? [await this.history_.change(changeId)] : await this.history_.latestOf(actor.userId, 1);
    if (!change) throw notFound(changeId ? 'Change' : 'Change to undo');
    return this.undoChange(actor, change);
  }

  private async undoChange(actor: Actor, change: ChangeRow): Promise<{ undone: ChangeDto; task: TaskDto | null }> {
    const role = await this.lists.role(actor.userId, change.listId);
    if (!role) throw notFound('Change');
    if (change.actorId !== actor.userId) throw new AppError('FORBIDDEN', 'You can only undo your own changes');
    if (!canWrite(role)) throw readOnly();
    // A later change that was undone, and the undo that undid it, cancel out: neither stands in the way.
    const since = await this.history_.later(change);
    const later = since.filter((other) => !other.undoneBy && !since.some((undone) => undone.undoneBy === other.id));
    const keys = touchedKeys(change);
    const touched = change.action === 'created' ? later : later.filter((other) => touchedKeys(other).some((key) => keys.includes(key)));
    if (touched.length > 0) {
      const who = [...new Set(touched.map((other) => (other.actorId === actor.userId ? 'you' : (other.actorName ?? 'someone'))))].join(', ');
      throw new AppError('CONFLICT', `The task was changed since, by ${who}: undo those changes first`);
    }
    // The undo's own history row is named now and claims the change: of two undos at once, one wins.
    const undoId = randomUUID();
    if (!(await this.history_.claim(change.id, undoId))) throw new AppError('CONFLICT', 'That change was undone already');
    try {
      return { undone: toChangeDto({ ...change, undoneBy: undoId }), task: await this.revert(change, { ...actor, channel: 'undo' }, undoId) };
    } catch (error) {
      await this.history_.release(change.id, undoId);
      throw error;
    }
  }

  /** Applies the reverse of a change, its history row named `undoId`: the task as it is after, or null when it is gone. */
  private async revert(change: ChangeRow, undo: Actor, undoId: string): Promise<TaskDto | null> {
    if (change.action === 'created') {
      const row = await this.tasks.delete(change.taskId, undo, undoId);
      if (!row) throw new AppError('CONFLICT', 'The task was deleted since');
      this.events.taskDeleted(row.listId, { id: row.id, number: row.number, list_id: row.listId });
      await this.announceChange(row.changeId);
      return null;
    }
    if (change.action === 'deleted') {
      if (!change.snapshot || !(await this.tasks.restore(await this.placed(change.snapshot), change.id)))
        throw new AppError('CONFLICT', 'The task cannot come back: its list is gone');
      const restored = (await this.tasks.entity(change.taskId))!;
      this.tasks.recordChange(restored, undo, 'restored', { title: [null, restored.title] }, undoId);
      await this.tasks.flush();
      const task = toTaskDto((await this.tasks.read(change.taskId))!);
      this.events.taskCreated(task.list_id, task);
      await this.announceChange(undoId);
      return task;
    }
    const reverter = this.reverters.get(change.action);
    if (reverter) {
      await reverter(change, undo, undoId);
      await this.announceChange(undoId);
      const task = await this.tasks.read(change.taskId);
      return task ? toTaskDto(task) : null;
    }
    if (change.action === 'labelled') {
      // The labels it had, those of them that still exist.
      const [before] = change.changes.label_ids as [string[], string[]];
      const kept = (await this.labels.of(undo.userId)).filter((label) => before.includes(label.id)).map((label) => label.id);
      return this.relabel(undo, change.taskId, change.listId, kept, undoId);
    }
    const entity = await this.tasks.entity(change.taskId);
    if (!entity) throw new AppError('CONFLICT', 'The task was deleted since');
    this.snapshots.set(entity, trackedFields(entity));
    const from = { listId: (entity.list as { id: string }).id, number: entity.number };
    const references = { user: (id: string) => this.tasks.user(id), list: (id: string) => this.tasks.list(id) };
    for (const [field, [before]] of Object.entries(change.changes)) revertField(entity, field, before, references);
    if (change.changes.position && entity.position)
      entity.position = await this.tasks.freePosition((entity.list as { id: string }).id, entity.position, entity.id);
    return this.save(undo, entity, from, undoId);
  }

  /** A deleted task's snapshot with a position no other task has taken since. */
  private async placed(snapshot: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { position, list_id: listId, id } = snapshot as { position?: string | null; list_id: string; id: string };
    return position ? { ...snapshot, position: await this.tasks.freePosition(listId, position, id) } : snapshot;
  }

  /** Sets reminders on a task just made (an import's alarms): those before a due date it lacks are dropped. */
  async remind(taskId: string, alarms: ({ before_minutes: number } | { at: Date })[]): Promise<void> {
    if (alarms.length === 0) return;
    for (const alarm of alarms) await this.reminders.add(taskId, 'at' in alarm ? { at: alarm.at } : { beforeMinutes: alarm.before_minutes });
    await this.announceUpdated(taskId);
  }

  /** A task as it is now, told to its list's room (its reminders changed). */
  async announceUpdated(taskId: string): Promise<TaskDto> {
    const task = toTaskDto((await this.tasks.read(taskId))!);
    this.events.taskUpdated(task.list_id, task);
    return task;
  }

  /** Tasks by id, as clients see them (the scheduler's reminders). */
  async readMany(ids: string[]): Promise<TaskDto[]> {
    return (await this.tasks.readMany(ids)).map(toTaskDto);
  }

  /** The caller's list named (case-insensitively, "family" finds "Family" and "Family list") or identified by `nameOrId`. */
  async findList(userId: string, nameOrId: string): Promise<string> {
    const found = await this.lists.findListsOf(userId, nameOrId.trim());
    if (found.length === 1) return found[0]!.id;
    if (found.length === 0) throw new AppError('NOT_FOUND', `You have no list called "${nameOrId}"`);
    throw new AppError('VALIDATION_ERROR', `Several of your lists are called "${nameOrId}"`, [{ field: 'list', message: 'names several lists; use its id' }]);
  }

  /** A member of a list by name, email, id or "me": who a task can be assigned to. */
  async findMember(userId: string, listId: string, who: string): Promise<string> {
    if (/^me$/i.test(who.trim())) return this.member(listId, userId);
    const found = await this.lists.findMember(listId, who.trim());
    if (found.length === 1) return found[0]!.id;
    const problem = found.length === 0 ? `nobody called "${who}" is a member of that list` : `several members are called "${who}"; use an email`;
    throw new AppError('VALIDATION_ERROR', `Invalid assignee: ${problem}`, [{ field: 'assignee', message: problem }]);
  }

  /** The names of the caller's lists, by id. */
  async listNames(userId: string): Promise<Map<string, string>> {
    return new Map((await this.lists.listsOf(userId)).map((list) => [list.id, list.name]));
  }

  /** The caller's personal list ("My tasks"). */
  personalListId(userId: string): Promise<string> {
    return this.lists.personalListId(userId);
  }

  /** The user's IANA time zone (the assistant reads and says dates in it). */
  async timeZone(userId: string): Promise<string> {
    return (await this.tasks.preferences(userId)).timeZone;
  }

  /** What the assistant acts under for this user: their zone, and whether destructive tools wait for approval. */
  preferences(userId: string): Promise<{ timeZone: string; confirmDestructive: boolean }> {
    return this.tasks.preferences(userId);
  }

  /** The lists a read covers: the one named (NOT_FOUND unless the caller belongs to it), or every list of the caller. */
  private async readable(userId: string, listId: string | undefined): Promise<string[]> {
    if (listId === undefined) return this.lists.memberListIds(userId);
    if (!(await this.lists.role(userId, listId))) throw notFound('List');
    return [listId];
  }

  private async writable(userId: string, listId: string): Promise<void> {
    const role = await this.lists.role(userId, listId);
    if (!role) throw notFound('List');
    if (!canWrite(role)) throw readOnly();
  }

  /** A member of a list, by id: the assignee a task may have. */
  private async member(listId: string, userId: string): Promise<string> {
    if (!(await this.lists.role(userId, listId))) {
      throw new AppError('VALIDATION_ERROR', 'Invalid assignee_id', [{ field: 'assignee_id', message: 'must be a member of the task’s list' }]);
    }
    return userId;
  }

  /** A due date as stored: a calendar date or local time is read in the user's zone. */
  private async resolve(userId: string, due: DueDate | null | undefined): Promise<ResolvedDue | null> {
    if (!due) return null;
    return resolveDue(due, needsZone(due) ? await this.timeZone(userId) : 'UTC');
  }

  /** A task the caller can see, with the caller's role in its list (NOT_FOUND for anyone else). */
  async locate(userId: string, ref: TaskRef): Promise<LocatedTask> {
    const located = await this.tasks.locate(userId, ref);
    if (!located) throw notFound('Task');
    return located;
  }

  /** The task to change, where it was (list and number), and the caller's right to change it. */
  private async load(userId: string, ref: TaskRef): Promise<{ task: Task; from: Origin }> {
    const located = await this.locate(userId, ref);
    if (!canWrite(located.role)) throw readOnly();
    const task = await this.tasks.entity(located.id);
    if (!task) throw notFound('Task');
    this.snapshots.set(task, trackedFields(task));
    return { task, from: { listId: located.listId, number: task.number } };
  }

  /** Puts the caller's labels on a task to `ids`, as a history row (named `changeId` for an undo); announced. */
  private async relabel(actor: Actor, taskId: string, listId: string, ids: string[], changeId?: string): Promise<TaskDto> {
    const before = await this.labels.onTask(taskId, actor.userId);
    const after = [...ids].sort();
    if (before.join() !== after.join()) {
      await this.labels.replaceOnTask(taskId, actor.userId, after);
      const entity = (await this.tasks.entity(taskId))!;
      entity.updatedBy = this.tasks.user(actor.userId);
      const record = this.tasks.recordChange(entity, actor, 'labelled', { label_ids: [before, after] }, changeId);
      await this.tasks.flush();
      await this.announceChange(record.id);
    }
    const task = toTaskDto((await this.tasks.read(taskId))!);
    this.events.taskUpdated(listId, task);
    return task;
  }

  /** Announces a history row to its list's room. */
  async announceChange(changeId: string): Promise<void> {
    const row = await this.history_.change(changeId);
    if (row) this.events.changed(row.listId, toChangeDto(row));
  }

  private async changesPage(where: { taskId: string } | { listId: string }, query: { limit: number; cursor?: string }) {
    const before = query.cursor
      ? (([at, id]) => ({ at: at as string, id: id as string }))(
          decodeCursor(
            query.cursor,
            (parts) => parts.length === 2 && cursorPart.timestamp(parts[0]) && cursorPart.uuid(parts[1]),
            'is not a cursor from this history',
          ),
        )
      : undefined;
    const rows = await this.history_.page(where, query.limit + 1, before);
    const last = rows[query.limit - 1];
    return {
      history: rows.slice(0, query.limit).map(toChangeDto),
      next_cursor: rows.length > query.limit && last ? encodeCursor([toIso(last.at), last.id]) : null,
    };
  }

  /** Writes a change of a task and its history row (named `changeId`, for an undo) in one flush, then announces both. */
  private async save(actor: Actor, task: Task, from: Origin, changeId?: string, action?: ChangeAction): Promise<TaskDto> {
    const before = this.snapshots.get(task) ?? {};
    task.updatedBy = this.tasks.user(actor.userId);
    const changes = diff(before, trackedFields(task));
    const record = Object.keys(changes).length ? this.tasks.recordChange(task, actor, action ?? actionOf(changes), changes, changeId) : undefined;
    await this.tasks.flush();
    // Reminders before the due date follow it (a recurrence's move also shifts the rest: setCompleted).
    if (changes.due_date && actor.channel !== 'recurrence') await this.reminders.followDue(task.id, task.dueDate ?? null, this.clock());
    if (record) await this.announceChange(record.id);
    const dto = toTaskDto((await this.tasks.read(task.id))!);
    if (dto.list_id !== from.listId) {
      // Moved: it leaves the old list's room and arrives in the new one's.
      this.events.taskDeleted(from.listId, { id: dto.id, number: from.number, list_id: from.listId });
      this.events.taskCreated(dto.list_id, dto);
    } else this.events.taskUpdated(dto.list_id, dto);
    return dto;
  }
}
