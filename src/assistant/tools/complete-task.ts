import { z } from 'zod';
import { defineTool, taskNumber } from './tool.ts';

export const completeTask = defineTool({
  name: 'complete_task',
  description: 'Mark a task as completed (done, finished, ticked off).',
  input: z.object({ task_number: taskNumber }),
  async execute({ userId, tasks }, { task_number }) {
    const task = await tasks.setCompleted(userId, task_number, true);
    return { task_number: task.number, status: 'completed', title: task.title };
  },
});
