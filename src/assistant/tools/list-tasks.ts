import { z } from 'zod';
import { inZone } from '../../shared/dates.ts';
import { taskPriority } from '../../tasks/tasks.schemas.ts';
import { defineTool } from './tool.ts';

export const listTasks = defineTool({
  name: 'list_tasks',
  description:
    'List the user\'s tasks, optionally filtered. Use it to show tasks, answer "what is pending / what did I finish / how many left", and to find a task by words of its title before acting on it.',
  input: z.object({
    status: z.enum(['all', 'pending', 'completed']).default('all').describe('"pending" means not completed yet'),
    priority: taskPriority.optional(),
    search: z.string().trim().max(200).optional().describe('Words that must all appear in the title or description'),
    limit: z.number().int().min(1).max(200).default(50),
  }),
  async execute({ userId, timeZone, tasks }, input) {
    const found = await tasks.search(userId, {
      // "pending" covers every task that is not completed, in progress included.
      status: input.status === 'pending' ? 'open' : input.status,
      priority: input.priority,
      words: input.search?.split(/\s+/).filter(Boolean),
      limit: input.limit,
    });
    return {
      tasks: found.map(({ number, title, status, priority, due_date }) => ({
        number,
        title,
        status,
        priority,
        // A calendar date as it is; an instant in the user's zone, with its offset.
        due_date: due_date && due_date.length > 10 ? inZone(due_date, timeZone) : due_date,
      })),
    };
  },
});
