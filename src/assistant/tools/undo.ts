import { z } from 'zod';
import { actorOf, defineTool } from './tool.ts';

export const undo = defineTool({
  name: 'undo',
  description:
    'Undo the latest changes made in this conversation ("undo that", "undo the last two"): a task made is removed, a deleted one comes back, changed fields get their values back. Refused when someone changed the same fields since.',
  input: z.object({ count: z.number().int().min(1).max(10).default(1).describe('How many of the latest changes to undo') }),
  async execute(context, { count }) {
    const { undone, refused } = await context.tasks.undoLatest(actorOf(context), count);
    // The title a change did not carry is the task's own (gone when the undo removed the task it made).
    const titleOf = async (change: (typeof undone)[number]) =>
      ((change.changes.title?.[0] ?? change.changes.title?.[1]) as string | undefined) ??
      (await context.tasks.get(context.userId, { ref: change.task_id }).then(
        (task) => task.title,
        () => undefined,
      ));
    return {
      undone: await Promise.all(undone.map(async (change) => ({ action: change.action, title: await titleOf(change), changes: Object.keys(change.changes) }))),
      ...(refused ? { refused } : {}),
    };
  },
});
