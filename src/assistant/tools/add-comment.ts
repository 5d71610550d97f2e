import { z } from 'zod';
import { actorOf, defineTool, listArgument, taskNumber, taskRefOf } from './tool.ts';

export const addComment = defineTool({
  name: 'add_comment',
  description: "Comment on a task: a note in its thread that every member of the task's list sees (not its description).",
  input: z.object({ task_number: taskNumber, body: z.string().trim().min(1).max(4000).describe('The comment, plain text'), list: listArgument }),
  async execute(context, { task_number, body, list }) {
    const ref = await taskRefOf(context, { task_number, list });
    const comment = await context.comments.create(actorOf(context), ref, body);
    const task = await context.tasks.get(context.userId, ref);
    return { task_number: task.number, title: task.title, status: 'commented', comment: comment.body };
  },
});
