import { z } from 'zod';
import { actorOf, defineTool, listArgument, taskLabel, taskNumber, taskRefOf } from './tool.ts';

export const deleteTask = defineTool({
  name: 'delete_task',
  description: 'Delete a task for good (delete, remove, cancel, get rid of).',
  input: z.object({ task_number: taskNumber, list: listArgument }),
  async execute(context, args) {
    const { tasks } = context;
    const removed = await tasks.remove(actorOf(context), await taskRefOf(context, args));
    return { task_number: removed.number, status: 'deleted', title: removed.title };
  },
  destructive: () => true,
  summarize: (args, task) => `Delete ${taskLabel(args, task)}?`,
});
