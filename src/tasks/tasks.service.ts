// Every task operation, for one caller, on the lists the caller belongs to: REST routes and the
// assistant's tools both call these. A non-member never learns a task exists (NOT_FOUND); a viewer
// reads only (FORBIDDEN on a write).
import type { Task, TaskStatus } from '../db/entities/index.ts';
import { taskPriorities } from '../db/entities/task.entity.ts';
import type { ListsRepository } from '../lists/lists.repository.ts';
import { canWrite } from '../lists/lists.service.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { type DueDate, needsZone, type ResolvedDue, resolveDue } from '../shared/dates.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { toIso } from '../shared/timestamps.ts';
import { type LocatedTask, sortPlan, type TaskFields, type TaskFilter, type TaskRef, type TasksRepository } from './tasks.repository.ts';
import type { TaskDto, TaskInput, TaskListQuery, TaskPatch, TaskSort } from './tasks.schemas.ts';

export type { TaskRef } from './tasks.repository.ts';

export interface TaskSearch extends Omit<TaskFilter, 'lists'> {
  /** One list (the caller must belong to it); every list of the caller when absent. */
  listId?: string;
  limit?: number;
}

/** Where task changes are announced: to the list's room (every member's tabs). */
export interface TaskEventSink {
  taskCreated(listId: string, task: TaskDto): void;
  taskUpdated(listId: string, task: TaskDto): void;
  taskDeleted(listId: string, deleted: { id: string; number: number; list_id: string }): void;
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
      (sort.endsWith('priority') ? cursorPart.int(key, 1, taskPriorities.length) : cursorPart.timestamp(key) || (key === null && sort.endsWith('due_date'))),
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

const readOnly = () => new AppError('FORBIDDEN', 'You can read this list but not change it');

export class TasksService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly lists: ListsRepository,
    private readonly events: TaskEventSink,
    /** Tasks one user may make. */
    private readonly quota: number,
  ) {}

  /** A page of the caller's tasks: of one list, or of every list the caller belongs to. */
  async list(userId: string, query: TaskListQuery & { list_id?: string; assignee?: string }): Promise<{ tasks: TaskDto[]; next_cursor: string | null }> {
    const plan = sortPlan(query.sort);
    const zone = needsZone(query.due_before) || needsZone(query.due_after) ? await this.timeZone(userId) : 'UTC';
    const rows = await this.tasks.page({
      filter: {
        lists: await this.readable(userId, query.list_id),
        assigneeId: query.assignee === 'me' ? userId : query.assignee,
        status: query.status,
        priority: query.priority,
        words: query.q ? [query.q] : [],
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
    const { listId, limit, ...filter } = search;
    return (await this.tasks.search({ ...filter, lists: await this.readable(userId, listId) }, limit ?? 200)).map(toTaskDto);
  }

  /**
   * Every task of a list (the caller's personal one by default), read a batch at a time as it is
   * consumed (an export). Access is checked before the first byte: a refusal is an answer, not a cut stream.
   */
  async allInBatches(userId: string, statementTimeoutMs: number, listId?: string): Promise<AsyncIterable<TaskDto[]>> {
    const [list] = await this.readable(userId, listId ?? (await this.lists.personalListId(userId)));
    const batches = this.tasks.allInBatches(list!, 500, statementTimeoutMs);
    return (async function* () {
      for await (const rows of batches) yield rows.map(toTaskDto);
    })();
  }

  async create(userId: string, input: TaskInput & TaskPlacement): Promise<TaskDto> {
    const { list_id, assignee_id, ...task } = input;
    return (await this.createAll(userId, [task], { list_id, assignee_id }))[0]!;
  }

  /** Creates tasks in order in one list, each announced; the user's zone is read once for all of them (an import). */
  async createAll(userId: string, inputs: TaskInput[], placement: TaskPlacement = {}): Promise<TaskDto[]> {
    const listId = placement.list_id ?? (await this.lists.personalListId(userId));
    await this.writable(userId, listId);
    const assigneeId = placement.assignee_id ? await this.member(listId, placement.assignee_id) : null;
    if ((await this.tasks.countMadeBy(userId)) + inputs.length > this.quota) {
      throw new AppError('QUOTA_EXCEEDED', `A user may make at most ${this.quota} tasks; delete some first`);
    }
    const zone = inputs.some((input) => needsZone(input.due_date)) ? await this.timeZone(userId) : 'UTC';
    // Every due date is checked before the first insert: a bad one creates none.
    const dues = inputs.map(({ due_date }) => (due_date ? resolveDue(due_date, zone) : null));
    const created: TaskDto[] = [];
    for (const [index, { due_date: _dueDate, ...fields }] of inputs.entries()) {
      const status = fields.status ?? 'pending';
      const due = dues[index] ?? null;
      const row = await this.tasks.insert(listId, userId, { ...fields, due, status, completedAt: status === 'completed' ? new Date() : null, assigneeId });
      if (!row) throw notFound('List');
      const task = toTaskDto(row);
      this.events.taskCreated(listId, task);
      created.push(task);
    }
    return created;
  }

  async get(userId: string, ref: TaskRef): Promise<TaskDto> {
    return toTaskDto((await this.tasks.read((await this.locate(userId, ref)).id))!);
  }

  /** Changes some fields; `list_id` moves the task to another list (an editor on both; it takes the next number there). */
  async update(userId: string, ref: TaskRef, patch: TaskPatch & TaskPlacement): Promise<TaskDto> {
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
    return this.save(userId, task, from);
  }

  /** PUT: the editable fields become the body's, omitted ones their defaults. */
  async replace(userId: string, ref: TaskRef, input: TaskInput): Promise<TaskDto> {
    const { task, from } = await this.load(userId, ref);
    Object.assign(task, {
      title: input.title,
      description: input.description ?? null,
      priority: input.priority ?? 'medium',
      ...statusFields(input.status ?? 'pending', task),
    });
    setDue(task, await this.resolve(userId, input.due_date));
    return this.save(userId, task, from);
  }

  /** Sets completion, or toggles it when `completed` is undefined. */
  async setCompleted(userId: string, ref: TaskRef, completed?: boolean): Promise<TaskDto> {
    const { task, from } = await this.load(userId, ref);
    const done = completed ?? task.status !== 'completed';
    if (done !== (task.status === 'completed')) Object.assign(task, statusFields(done ? 'completed' : 'pending', task));
    return this.save(userId, task, from);
  }

  async remove(userId: string, ref: TaskRef): Promise<{ id: string; number: number; title: string }> {
    const located = await this.locate(userId, ref);
    if (!canWrite(located.role)) throw readOnly();
    const row = await this.tasks.delete(located.id);
    if (!row) throw notFound('Task');
    this.events.taskDeleted(row.listId, { id: row.id, number: row.number, list_id: row.listId });
    return row;
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

  private async locate(userId: string, ref: TaskRef): Promise<LocatedTask> {
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
    return { task, from: { listId: located.listId, number: task.number } };
  }

  private async save(userId: string, task: Task, from: Origin): Promise<TaskDto> {
    task.updatedBy = this.tasks.user(userId);
    await this.tasks.flush();
    const dto = toTaskDto((await this.tasks.read(task.id))!);
    if (dto.list_id !== from.listId) {
      // Moved: it leaves the old list's room and arrives in the new one's.
      this.events.taskDeleted(from.listId, { id: dto.id, number: from.number, list_id: from.listId });
      this.events.taskCreated(dto.list_id, dto);
    } else this.events.taskUpdated(dto.list_id, dto);
    return dto;
  }
}
