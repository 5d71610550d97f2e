import { z } from 'zod';
import { actorOf, defineTool, listArgument, taskNumber, taskRefOf } from './tool.ts';

export const moveTask = defineTool({
  name: 'move_task',
  description: 'Reorder a task by hand: put it right before or right after another task of the same list.',
  input: z
    .object({
      task_number: taskNumber,
      before: taskNumber.optional().describe('The task it goes right before'),
      after: taskNumber.optional().describe('The task it goes right after'),
      list: listArgument,
    })
    .refine((input) => (input.before === undefined) !== (input.after === undefined), { error: 'give before or after, not both' }),
  async execute(context, { task_number, before, after, list }) {
    const ref = await taskRefOf(context, { task_number, list });
    const anchor = before !== undefined ? { before: { ref: before, listId: ref.listId } } : { after: { ref: after!, listId: ref.listId } };
    const task = await context.tasks.move(actorOf(context), ref, anchor);
    return { task_number: task.number, status: 'moved', title: task.title };
  },
});
