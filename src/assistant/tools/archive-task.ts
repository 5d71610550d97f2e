import { z } from 'zod';
import { actorOf, defineTool, listArgument, taskNumber, taskRefOf } from './tool.ts';

export const archiveTask = defineTool({
  name: 'archive_task',
  description: 'Archive a task (put it away): it leaves the lists but stays findable, and can be brought back.',
  input: z.object({ task_number: taskNumber, list: listArgument }),
  async execute(context, args) {
    const task = await context.tasks.setArchived(actorOf(context), await taskRefOf(context, args), true);
    return { task_number: task.number, status: 'archived', title: task.title };
  },
});
