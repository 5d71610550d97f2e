import { z } from 'zod';
import { defineTool, taskNumber } from './tool.ts';

export const deleteTask = defineTool({
  name: 'delete_task',
  description: 'Delete a task for good (delete, remove, cancel, get rid of).',
  input: z.object({ task_number: taskNumber }),
  async execute({ userId, tasks }, { task_number }) {
    const task = await tasks.get(userId, task_number);
    await tasks.remove(userId, task.id);
    return { task_number: task.number, status: 'deleted', title: task.title };
  },
});
