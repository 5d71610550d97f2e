import { z } from 'zod';
import { taskPriorities, taskStatuses } from '../db/entities/task.entity.ts';
import { changeActions, changeChannels } from '../db/entities/task-change.entity.ts';
import { labelDto } from '../labels/labels.schemas.ts';
import { reminderDto } from '../reminders/reminders.schemas.ts';
import { isoDate, person, queryInt, uuid } from '../shared/schemas.ts';
import { recurrenceField } from './recurrence.ts';

export const taskStatus = z.enum(taskStatuses);
export const taskPriority = z.enum(taskPriorities);

export const taskDto = z.object({
  id: z.uuid(),
  list_id: z.uuid(),
  number: z.number().int().describe('Counted per list'),
  title: z.string(),
  description: z.string().nullable(),
  status: taskStatus,
  completed: z.boolean(),
  priority: taskPriority,
  due_date: z.string().nullable(),
  completed_at: z.string().nullable(),
  archived_at: z.string().nullable().describe('Archived tasks are out of the default reads, and can be brought back'),
  recurrence: z.string().nullable().describe('An RRULE value read in the user’s zone from the due date; completing moves the task to its next occurrence'),
  reminders: z.array(reminderDto).describe('Its reminders, soonest first'),
  labels: z.array(labelDto).describe("Every member's labels on it"),
  position: z.string().nullable().describe('The manual order in its list (opaque; compare bytewise); null until its list is first reordered'),
  assignee: person.nullable().describe('A member of the task’s list'),
  created_by: person.nullable(),
  updated_by: person.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TaskDto = z.infer<typeof taskDto>;

/** The views of the day, in the user's zone. */
export const dueViews = ['today', 'overdue', 'week', 'upcoming', 'none'] as const;
export type DueView = (typeof dueViews)[number];
export const dueViewsDescription =
  'In your zone: today (due today), overdue (not done, due before now; a date before today), week (today to the end of the 7th day), upcoming (after today), none (no due date)';

/** A task's title and description, as REST and the assistant's tools take them. */
export const taskTitle = z.string({ error: 'is required and must be a string' }).trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters');
export const taskDescription = z.string().max(1000, 'must be at most 1000 characters');
const title = taskTitle;
const description = taskDescription.nullable();
const dueDate = isoDate.nullable();

/** POST and PUT body: PUT resets omitted fields to these defaults. */
export const taskInput = z.object({
  title,
  description: description.optional(),
  priority: taskPriority.optional(),
  due_date: dueDate.optional(),
  status: taskStatus.optional(),
  recurrence: recurrenceField.optional(),
});
export type TaskInput = z.infer<typeof taskInput>;

/** Where a task goes (default: the caller's personal list) and who it is for (a member of that list). */
const placement = {
  list_id: uuid.optional().describe('A list you can edit; default: your personal list'),
  assignee_id: uuid.nullable().optional().describe('A member of the list, or null for nobody'),
};

/** POST /api/tasks: a task, and where it goes. */
export const createTaskBody = taskInput.extend(placement);

export const taskPatch = z
  .object({
    title: title.optional(),
    description: description.optional(),
    status: taskStatus.optional(),
    completed: z.boolean().optional(),
    priority: taskPriority.optional(),
    due_date: dueDate.optional(),
    recurrence: recurrenceField.optional(),
    // Moving to another list (an editor on both) and (un)assigning.
    ...placement,
  })
  .refine((patch) => !(patch.completed !== undefined && patch.status !== undefined && patch.completed !== (patch.status === 'completed')), {
    error: 'disagrees with status',
    path: ['completed'],
  });
export type TaskPatch = z.infer<typeof taskPatch>;

export const completeBody = z.object({ completed: z.boolean().optional() }).nullish();

export const taskSorts = [
  'created_at',
  '-created_at',
  'due_date',
  '-due_date',
  'priority',
  '-priority',
  'updated_at',
  '-updated_at',
  'position',
  '-position',
] as const;
export type TaskSort = (typeof taskSorts)[number];

/** Archived tasks in a read: left out (false, the default), only them (true), or with the rest (all). */
const archivedQuery = z.enum(['false', 'true', 'all']).default('false');

export const taskListQuery = z.object({
  status: z.enum(['all', ...taskStatuses]).default('all'),
  priority: taskPriority.optional(),
  q: z.string().trim().max(200).optional(),
  due_before: isoDate.optional(),
  due_after: isoDate.optional(),
  sort: z.enum(taskSorts).optional().describe('Default: position (the manual order) with list_id, else -created_at'),
  limit: queryInt(1, 200, 50),
  cursor: z.string().max(500).optional(),
  list_id: uuid.optional().describe('One list; default: every list you belong to'),
  assignee: z.union([z.literal('me'), uuid], { error: 'must be "me" or a user id' }).optional(),
  archived: archivedQuery,
  due: z.enum(dueViews).optional().describe(dueViewsDescription),
  label: z.string().trim().min(1).max(50).optional().describe('Tasks with a label of this name (case-insensitive)'),
});
export type TaskListQuery = z.infer<typeof taskListQuery>;

/** A task reference: its uuid or its number in a list. */
export const taskRef = z.union(
  [
    uuid,
    z
      .string()
      .regex(/^[1-9]\d{0,9}$/)
      .transform(Number)
      .pipe(z.number().max(2_147_483_647)),
  ],
  {
    error: 'must be a task uuid or number',
  },
);
export const taskRefParams = z.object({ ref: taskRef });
/** Which list a task number counts in: default, the caller's personal list. */
export const taskRefQuery = z.object({ list_id: uuid.optional().describe('The list a task number counts in; default: your personal list') });
/** The list an export reads or an import fills: default, the caller's personal list. */
export const listQuery = z.object({ list_id: uuid.optional().describe('Default: your personal list') });
/** An export: the list, and its archived tasks or not. */
export const exportQuery = listQuery.extend({ archived: archivedQuery });

/** One change of a task, as its history and its list's activity show it. */
export const changeDto = z.object({
  id: z.uuid(),
  task_id: z.uuid(),
  list_id: z.uuid(),
  actor: person.nullable(),
  channel: z.enum(changeChannels),
  action: z.enum(changeActions),
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])).describe('Each changed field: [before, after]'),
  undone: z.boolean(),
  at: z.string(),
});
export type ChangeDto = z.infer<typeof changeDto>;

export const historyQuery = z.object({ limit: queryInt(1, 100, 50), cursor: z.string().max(200).optional() });
export const undoBody = z.object({ change_id: uuid.optional().describe('One of your changes; default: your latest one not undone yet') }).nullish();

/** Where a task goes in its list's order: right before one task, or right after one. */
const anchorRef = z.union([uuid, z.number().int().min(1).max(2_147_483_647)], { error: 'must be a task uuid or number' });
export const moveBody = z
  .object({ before: anchorRef.optional(), after: anchorRef.optional() })
  .refine((body) => (body.before === undefined) !== (body.after === undefined), { error: 'give before or after, not both', path: ['before'] });
