import { z } from 'zod';
import { isoDate } from '../../shared/schemas.ts';
import { recurrenceField } from '../../tasks/recurrence.ts';
import { taskDescription, taskPriority, taskTitle } from '../../tasks/tasks.schemas.ts';
import { actorOf, assigneeArgument, defineTool, labelsArgument, listArgument, remindArgument, remindOf } from './tool.ts';

export const addTask = defineTool({
  name: 'add_task',
  description:
    'Create a new task for the user (in their personal list, or in a shared list they name). Use it when the user wants to add, remember or be reminded of something.',
  input: z.object({
    title: taskTitle.describe('Short title of the task, e.g. "Buy groceries"'),
    description: taskDescription.optional().describe('Optional longer details'),
    priority: taskPriority.optional().describe('Priority; omit for medium'),
    due_date: isoDate.optional().describe("Due date: 2030-01-31 for a day, 2030-01-31T17:00 for a time in the user's zone"),
    list: listArgument,
    assignee: assigneeArgument,
    labels: labelsArgument,
    recurrence: recurrenceField.optional().describe("Repeat it: an RFC 5545 RRULE value read from the due date in the user's zone, e.g. FREQ=WEEKLY;BYDAY=MO"),
    remind: remindArgument,
  }),
  async execute(context, { list, assignee, labels, remind, ...input }) {
    const { userId, tasks } = context;
    const listId = list ? await tasks.findList(userId, list) : undefined;
    const assigneeId = assignee ? await tasks.findMember(userId, listId ?? (await tasks.personalListId(userId)), assignee) : undefined;
    const created = await tasks.create(actorOf(context), { ...input, list_id: listId, assignee_id: assigneeId });
    const task = labels?.length ? await tasks.setLabels(actorOf(context), { ref: created.id }, await tasks.labelIdsByName(userId, labels), 'labels') : created;
    await remindOf(context, task.id, remind);
    return {
      task_number: task.number,
      status: 'created',
      title: task.title,
      ...(list ? { list } : {}),
      ...(task.assignee ? { assignee: task.assignee.name } : {}),
      ...(task.recurrence ? { recurrence: task.recurrence } : {}),
      ...(remind !== undefined ? { reminded: true } : {}),
    };
  },
});
