import { z } from 'zod';
import { defineTool, listArgument, taskNumber, taskRefOf } from './tool.ts';

export const snoozeReminder = defineTool({
  name: 'snooze_reminder',
  description: 'Snooze a task’s reminder: remind the user again some minutes from now (its latest reminder moves; a task without one gets one).',
  input: z.object({ task_number: taskNumber, minutes: z.number().int().min(1).max(10_080).describe('From now, at most a week'), list: listArgument }),
  async execute(context, { task_number, minutes, list }) {
    const ref = await taskRefOf(context, { task_number, list });
    const reminder = await context.reminders.snoozeTask(context.userId, ref, minutes);
    const task = await context.tasks.get(context.userId, ref);
    return { task_number: task.number, title: task.title, status: 'snoozed', remind_at: reminder.fires_at };
  },
});
