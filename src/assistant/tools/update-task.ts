import { z } from 'zod';
import { isoDate } from '../../shared/schemas.ts';
import { recurrenceField } from '../../tasks/recurrence.ts';
import { taskDescription, taskPriority, taskTitle } from '../../tasks/tasks.schemas.ts';
import { actorOf, assigneeArgument, defineTool, labelsArgument, listArgument, remindArgument, remindOf, taskLabel, taskNumber, taskRefOf } from './tool.ts';

export const updateTask = defineTool({
  name: 'update_task',
  description:
    'Change a task: rename it, change its description, priority or due date, make it repeat or stop repeating, add a reminder, assign it to a member of its list, or mark it not done again.',
  input: z.object({
    task_number: taskNumber,
    title: taskTitle.optional().describe('The new title'),
    description: taskDescription.optional().describe('The new description'),
    priority: taskPriority.optional(),
    due_date: isoDate.nullable().optional().describe("New due date (2030-01-31, or 2030-01-31T17:00 in the user's zone), or null to clear it"),
    completed: z.boolean().optional(),
    list: listArgument,
    assignee: assigneeArgument,
    labels: labelsArgument.describe("The label names the task should carry (of the user's own labels); unknown ones are made"),
    recurrence: recurrenceField.optional().describe('Make it repeat (an RRULE value read from its due date, e.g. FREQ=DAILY), or null to stop repeating'),
    remind: remindArgument,
  }),
  async execute(context, { task_number, list, assignee, labels, remind, ...changes }) {
    const ref = await taskRefOf(context, { task_number, list });
    const { userId, tasks } = context;
    const assigneeId =
      assignee === undefined
        ? undefined
        : assignee === null
          ? null
          : await tasks.findMember(userId, ref.listId ?? (await tasks.personalListId(userId)), assignee);
    const fields = { ...changes, ...(assigneeId === undefined ? {} : { assignee_id: assigneeId }) };
    let task = Object.keys(fields).length || (!labels && remind === undefined) ? await tasks.update(actorOf(context), ref, fields) : undefined;
    if (labels) task = await tasks.setLabels(actorOf(context), task ? { ref: task.id } : ref, await tasks.labelIdsByName(userId, labels), 'labels');
    task ??= await tasks.get(userId, ref);
    await remindOf(context, task.id, remind);
    return {
      task_number: task!.number,
      status: 'updated',
      title: task!.title,
      ...(task!.assignee ? { assignee: task!.assignee.name } : {}),
      ...(labels ? { labels: task!.labels.map((label) => label.name) } : {}),
      ...(changes.recurrence !== undefined ? { recurrence: task!.recurrence } : {}),
      ...(remind !== undefined ? { reminded: true } : {}),
    };
  },
  // Clearing what the user wrote (a due date, a description) cannot be taken back.
  destructive: (args) => args.due_date === null || args.description === null || args.description === '',
  summarize(args, task) {
    const clearing = [args.due_date === null ? 'its due date' : '', args.description !== undefined ? 'its description' : ''].filter(Boolean);
    return `Clear ${clearing.join(' and ')} on ${taskLabel(args, task)}?`;
  },
});
