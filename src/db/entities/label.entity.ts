import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAt, uuidKey } from './columns.ts';
import { Task } from './task.entity.ts';
import { User } from './user.entity.ts';

/** A user's label (the seeds' categories): on any task of the user's lists, seen by every member there. */
export const Label = defineEntity({
  name: 'Label',
  tableName: 'labels',
  properties: {
    id: uuidKey(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    name: p.string().length(50).check('length(btrim(name)) > 0'),
    color: p.string().length(7),
    createdAt: createdAt(),
  },
  indexes: [{ name: 'labels_user_id_name_unique', expression: 'create unique index "labels_user_id_name_unique" on "labels" ("user_id", lower("name"))' }],
});
export type Label = InferEntity<typeof Label>;

/** A label on a task (the seeds' task_categories). */
export const TaskLabel = defineEntity({
  name: 'TaskLabel',
  tableName: 'task_labels',
  properties: {
    task: () => p.manyToOne(Task).primary().deleteRule('cascade'),
    label: () => p.manyToOne(Label).primary().deleteRule('cascade'),
  },
  indexes: [{ name: 'task_labels_label_id_index', properties: ['label'] }],
});
export type TaskLabel = InferEntity<typeof TaskLabel>;
