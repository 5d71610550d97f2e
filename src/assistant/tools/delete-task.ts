import { z } from 'zod';
import { defineTool, taskLabel, taskNumber } from './tool.ts';

export const deleteTask = defineTool({
  name: 'delete_task',
  description: 'Delete a task for good (delete, remove, cancel, get rid of).',
  input: z.object({ task_number: taskNumber }),
  async execute({ userId, tasks }, { task_number }) {
    const removed = await tasks.remove(userId, task_number);
    return { task_number: removed.number, status: 'deleted', title: removed.title };
  },
  destructive: () => true,
  summarize: (args, task) => `Delete ${taskLabel(args, task)}?`,
});
