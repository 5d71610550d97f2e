import { z } from 'zod';
import { actorOf, defineTool, listArgument, taskNumber, taskRefOf } from './tool.ts';

export const completeTask = defineTool({
  name: 'complete_task',
  description: 'Mark a task as completed (done, finished, ticked off).',
  input: z.object({ task_number: taskNumber, list: listArgument }),
  async execute(context, args) {
    const { tasks } = context;
    const task = await tasks.setCompleted(actorOf(context), await taskRefOf(context, args), true);
    return { task_number: task.number, status: 'completed', title: task.title };
  },
});
