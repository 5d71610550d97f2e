import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAt, uuidKey } from './columns.ts';
import { Task } from './task.entity.ts';

/**
 * A reminder of a task: at an instant, or some minutes before its due date (then it moves with the
 * due date). The scheduler claims each due one once across instances (fired_at set in the claiming
 * statement); one whose task was completed or archived by then is marked skipped, never pushed.
 */
export const TaskReminder = defineEntity({
  name: 'TaskReminder',
  tableName: 'task_reminders',
  properties: {
    id: uuidKey(),
    task: () => p.manyToOne(Task).deleteRule('cascade'),
    at: p.datetime(3).nullable(),
    beforeMinutes: p.integer().nullable(),
    firesAt: p.datetime(3),
    firedAt: p.datetime(3).nullable(),
    skipped: p.boolean().default(false),
    createdAt: createdAt(),
  },
  checks: [
    { name: 'task_reminders_kind_check', expression: '(at is null) <> (before_minutes is null)' },
    { name: 'task_reminders_before_minutes_check', expression: 'before_minutes is null or (before_minutes >= 0 and before_minutes <= 525600)' },
  ],
  indexes: [
    { name: 'task_reminders_task_id_index', properties: ['task'] },
    { name: 'task_reminders_due_index', expression: 'create index "task_reminders_due_index" on "task_reminders" ("fires_at") where fired_at is null' },
  ],
});
export type TaskReminder = InferEntity<typeof TaskReminder>;
