import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAt, uuidKey } from './columns.ts';
import { List } from './list.entity.ts';
import { User } from './user.entity.ts';

export const changeChannels = ['rest', 'socket', 'assistant', 'mcp', 'import', 'reminder', 'recurrence', 'undo'] as const;
export type ChangeChannel = (typeof changeChannels)[number];
export const changeActions = [
  'created',
  'updated',
  'completed',
  'reopened',
  'deleted',
  'restored',
  'archived',
  'unarchived',
  'moved',
  'labelled',
  'commented',
  'attached',
] as const;
export type ChangeAction = (typeof changeActions)[number];

/** A task's field as history keeps it: its value before and after a change. */
export type FieldChanges = Record<string, [unknown, unknown]>;

/** One change of a task (the seeds' task_history), written in the change's own transaction. */
export const TaskChange = defineEntity({
  name: 'TaskChange',
  tableName: 'task_history',
  properties: {
    id: uuidKey(),
    // The task may be gone (deleted): no key to it, so its history stays.
    taskId: p.uuid(),
    list: () => p.manyToOne(List).deleteRule('cascade'),
    actor: () => p.manyToOne(User).nullable().deleteRule('set null'),
    channel: p.enum(changeChannels),
    action: p.enum(changeActions),
    changes: p.json<FieldChanges>(),
    // A deleted task as it was, so that undo brings it back whole.
    snapshot: p.json<Record<string, unknown>>().nullable(),
    // The conversation whose assistant made it ("undo that" undoes the assistant's own changes there).
    conversationId: p.uuid().nullable(),
    // The undo that reverted it, once one has.
    undoneBy: p.uuid().nullable(),
    at: createdAt(),
  },
  indexes: [
    { name: 'task_history_task_id_at_index', properties: ['taskId', 'at'] },
    { name: 'task_history_list_id_at_index', properties: ['list', 'at'] },
    { name: 'task_history_actor_id_at_index', properties: ['actor', 'at'] },
  ],
});
export type TaskChange = InferEntity<typeof TaskChange>;
