import { z } from 'zod';
import { taskPriorities, taskStatuses } from '../db/entities/task.entity.ts';
import { isoDate, queryInt, uuid } from '../shared/schemas.ts';

export const taskStatus = z.enum(taskStatuses);
export const taskPriority = z.enum(taskPriorities);

export const taskDto = z.object({
  id: z.uuid(),
  number: z.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  status: taskStatus,
  completed: z.boolean(),
  priority: taskPriority,
  due_date: z.string().nullable(),
  completed_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TaskDto = z.infer<typeof taskDto>;

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
});
export type TaskInput = z.infer<typeof taskInput>;

export const taskPatch = z
  .object({
    title: title.optional(),
    description: description.optional(),
    status: taskStatus.optional(),
    completed: z.boolean().optional(),
    priority: taskPriority.optional(),
    due_date: dueDate.optional(),
  })
  .refine((patch) => !(patch.completed !== undefined && patch.status !== undefined && patch.completed !== (patch.status === 'completed')), {
    error: 'disagrees with status',
    path: ['completed'],
  });
export type TaskPatch = z.infer<typeof taskPatch>;

export const completeBody = z.object({ completed: z.boolean().optional() }).nullish();

export const taskSorts = ['created_at', '-created_at', 'due_date', '-due_date', 'priority', '-priority', 'updated_at', '-updated_at'] as const;
export type TaskSort = (typeof taskSorts)[number];

export const taskListQuery = z.object({
  status: z.enum(['all', ...taskStatuses]).default('all'),
  priority: taskPriority.optional(),
  q: z.string().trim().max(200).optional(),
  due_before: isoDate.optional(),
  due_after: isoDate.optional(),
  sort: z.enum(taskSorts).default('-created_at'),
  limit: queryInt(1, 200, 50),
  cursor: z.string().max(500).optional(),
});
export type TaskListQuery = z.infer<typeof taskListQuery>;

/** A task reference: its uuid or its per-user number. */
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
