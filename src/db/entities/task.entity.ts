import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidKey } from './columns.ts';
import { List } from './list.entity.ts';
import { User } from './user.entity.ts';

export const taskStatuses = ['pending', 'in_progress', 'completed'] as const;
export const taskPriorities = ['low', 'medium', 'high', 'urgent'] as const;
export type TaskStatus = (typeof taskStatuses)[number];
export type TaskPriority = (typeof taskPriorities)[number];

export const Task = defineEntity({
  name: 'Task',
  tableName: 'tasks',
  properties: {
    id: uuidKey(),
    list: () => p.manyToOne(List).deleteRule('cascade'),
    // Counted per list.
    number: p.integer(),
    title: p.string().length(255).check('length(btrim(title)) > 0'),
    description: p.text().nullable().check('description is null or length(description) <= 1000'),
    status: p.enum(taskStatuses).default('pending'),
    priority: p.enum(taskPriorities).default('medium'),
    // The instant the task is due (for a calendar date: the start of that day in the user's zone, so
    // both kinds sort and filter together); dueOn is the calendar date when no time of day was given.
    dueDate: p.datetime(3).nullable(),
    dueOn: p.date().nullable(),
    completedAt: p.datetime(3).nullable(),
    // An RFC 5545 RRULE value (FREQ=WEEKLY;BYDAY=MO), read in the user's zone from the due date: completing moves the task to its next occurrence.
    recurrence: p.text().nullable(),
    // When a completion last moved it to its next occurrence: a second completion within seconds is the same click.
    recurredAt: p.datetime(3).nullable(),
    // The manual order within the list (a fractional index, compared bytewise); null until the list is first reordered (then: by number, after the rest).
    position: p.text().nullable(),
    // Archived: out of the default reads (lists, tools, exports), still findable and restorable.
    archivedAt: p.datetime(3).nullable(),
    // Who made and last changed it, and who it is assigned to (a member of its list): kept when they leave, cleared when they go.
    createdBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    updatedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    assignee: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  checks: [
    { name: 'tasks_completed_at_check', expression: "(status = 'completed') = (completed_at is not null)" },
    { name: 'tasks_due_on_check', expression: 'due_on is null or due_date is not null' },
    // Years 1–9999 in UTC: an instant outside them breaks ISO strings, iCalendar and every read (shared/dates.ts).
    { name: 'tasks_due_date_check', expression: "due_date >= '0001-01-01 00:00:00+00'::timestamptz and due_date < '10000-01-01 00:00:00+00'::timestamptz" },
  ],
  uniques: [{ name: 'tasks_list_id_number_unique', properties: ['list', 'number'] }],
  indexes: [
    { name: 'tasks_list_id_created_at_number_index', properties: ['list', 'createdAt', 'number'] },
    { name: 'tasks_list_id_status_index', properties: ['list', 'status'] },
    { name: 'tasks_list_id_due_date_index', properties: ['list', 'dueDate'] },
    { name: 'tasks_created_by_index', properties: ['createdBy'] },
    { name: 'tasks_assignee_id_index', properties: ['assignee'] },
    {
      name: 'tasks_list_id_position_unique',
      expression: 'create unique index "tasks_list_id_position_unique" on "tasks" ("list_id", "position" collate "C") where position is not null',
    },
  ],
});
export type Task = InferEntity<typeof Task>;
