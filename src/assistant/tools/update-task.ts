import { z } from 'zod';
import { taskPriority } from '../../tasks/tasks.schemas.ts';
import { isoDate } from '../../shared/schemas.ts';
import { defineTool, taskNumber } from './tool.ts';

export const updateTask = defineTool({
  name: 'update_task',
  description: 'Change a task: rename it, change its description, priority or due date, or mark it not done again.',
  input: z.object({
    task_number: taskNumber,
    title: z.string().trim().min(1).max(255).optional().describe('The new title'),
    description: z.string().max(1000).optional(),
    priority: taskPriority.optional(),
    due_date: isoDate.nullable().optional().describe('New due date as ISO 8601, or null to clear it'),
    completed: z.boolean().optional(),
  }),
  async execute({ userId, tasks }, { task_number, ...changes }) {
    const task = await tasks.update(userId, task_number, changes);
    return { task_number: task.number, status: 'updated', title: task.title };
  },
});
