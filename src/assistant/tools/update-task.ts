import { z } from 'zod';
import { isoDate } from '../../shared/schemas.ts';
import { taskDescription, taskPriority, taskTitle } from '../../tasks/tasks.schemas.ts';
import { defineTool, taskLabel, taskNumber } from './tool.ts';

export const updateTask = defineTool({
  name: 'update_task',
  description: 'Change a task: rename it, change its description, priority or due date, or mark it not done again.',
  input: z.object({
    task_number: taskNumber,
    title: taskTitle.optional().describe('The new title'),
    description: taskDescription.optional().describe('The new description'),
    priority: taskPriority.optional(),
    due_date: isoDate.nullable().optional().describe("New due date (2030-01-31, or 2030-01-31T17:00 in the user's zone), or null to clear it"),
    completed: z.boolean().optional(),
  }),
  async execute({ userId, tasks }, { task_number, ...changes }) {
    const task = await tasks.update(userId, task_number, changes);
    return { task_number: task.number, status: 'updated', title: task.title };
  },
  // Clearing what the user wrote (a due date, a description) cannot be taken back.
  destructive: (args) => args.due_date === null || args.description === null || args.description === '',
  summarize(args, task) {
    const clearing = [args.due_date === null ? 'its due date' : '', args.description !== undefined ? 'its description' : ''].filter(Boolean);
    return `Clear ${clearing.join(' and ')} on ${taskLabel(args, task)}?`;
  },
});
