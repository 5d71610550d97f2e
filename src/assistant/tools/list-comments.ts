import { z } from 'zod';
import { inZone } from '../../shared/dates.ts';
import { defineTool, listArgument, taskNumber, taskRefOf } from './tool.ts';

export const listComments = defineTool({
  name: 'list_comments',
  description: "Read a task's comment thread, oldest first: who wrote what, and when.",
  input: z.object({ task_number: taskNumber, list: listArgument }),
  async execute(context, { task_number, list }) {
    const ref = await taskRefOf(context, { task_number, list });
    const task = await context.tasks.get(context.userId, ref);
    const comments = await context.comments.list(context.userId, ref);
    return {
      task_number: task.number,
      title: task.title,
      comments: comments.map((comment) => ({
        author: comment.author?.name ?? 'someone',
        body: comment.body,
        at: inZone(comment.created_at, context.timeZone),
      })),
    };
  },
});
