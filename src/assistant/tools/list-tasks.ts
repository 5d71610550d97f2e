import { z } from 'zod';
import { inZone } from '../../shared/dates.ts';
import { dueViews, dueViewsDescription, taskPriority } from '../../tasks/tasks.schemas.ts';
import { defineTool } from './tool.ts';

export const listTasks = defineTool({
  name: 'list_tasks',
  description:
    'List the user\'s tasks (every list they belong to, or one), optionally filtered. Use it to show tasks, answer "what is pending / what did I finish / how many left", and to find a task by words of its title before acting on it.',
  input: z.object({
    status: z.enum(['all', 'pending', 'completed']).default('all').describe('"pending" means not completed yet'),
    priority: taskPriority.optional(),
    search: z.string().trim().max(200).optional().describe('Words that must all appear in the title or description'),
    list: z.string().trim().min(1).max(100).optional().describe("A list's name or id; omit for every list of the user"),
    assignee: z.string().trim().min(1).max(255).optional().describe('Only tasks assigned to this member (name or email, or "me")'),
    label: z.string().trim().min(1).max(50).optional().describe('Only tasks with this label'),
    archived: z.enum(['false', 'true', 'all']).default('false').describe('Archived tasks: left out (false), only them (true), or all'),
    due: z.enum(dueViews).optional().describe(`A view of the day: ${dueViewsDescription}`),
    limit: z.number().int().min(1).max(200).default(50),
  }),
  async execute({ userId, timeZone, tasks }, input) {
    const listId = input.list ? await tasks.findList(userId, input.list) : undefined;
    const assigneeId = input.assignee
      ? await tasks.findMember(userId, listId ?? (await tasks.personalListId(userId)), input.assignee).catch(async (error) => {
          // "assigned to me" over every list: the caller, whatever list.
          if (!listId && /^me$/i.test(input.assignee!)) return userId;
          throw error;
        })
      : undefined;
    const [found, names] = await Promise.all([
      tasks.search(userId, {
        // "pending" covers every task that is not completed, in progress included.
        status: input.status === 'pending' ? 'open' : input.status,
        priority: input.priority,
        words: input.search?.split(/\s+/).filter(Boolean),
        listId,
        assigneeId,
        archived: input.archived,
        label: input.label,
        due: input.due,
        limit: input.limit,
      }),
      tasks.listNames(userId),
    ]);
    return {
      tasks: found.map(({ number, title, status, priority, due_date, list_id, assignee, labels, recurrence }) => ({
        number,
        title,
        status,
        priority,
        // A calendar date as it is; an instant in the user's zone, with its offset.
        due_date: due_date && due_date.length > 10 ? inZone(due_date, timeZone) : due_date,
        list: names.get(list_id) ?? list_id,
        list_id,
        ...(assignee ? { assignee: assignee.name } : {}),
        ...(labels.length ? { labels: labels.map((label) => label.name) } : {}),
        ...(recurrence ? { recurrence } : {}),
      })),
    };
  },
});
