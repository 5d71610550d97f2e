import { z } from 'zod';
import { actorOf, defineTool } from './tool.ts';

export const undo = defineTool({
  name: 'undo',
  description:
    'Undo the latest changes made in this conversation ("undo that", "undo the last two"): a task made is removed, a deleted one comes back, changed fields get their values back. Refused when someone changed the same fields since.',
  input: z.object({ count: z.number().int().min(1).max(10).default(1).describe('How many of the latest changes to undo') }),
  async execute(context, { count }) {
    const { undone, refused } = await context.tasks.undoLatest(actorOf(context), count);
    return {
      // The title a change did not carry is its task's as the undo left it (none when the undo removed the task it made).
      undone: undone.map(({ undone: change, task }) => ({
        action: change.action,
        title: ((change.changes.title?.[0] ?? change.changes.title?.[1]) as string | undefined) ?? task?.title,
        changes: Object.keys(change.changes),
      })),
      ...(refused ? { refused } : {}),
    };
  },
});
