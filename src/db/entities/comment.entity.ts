import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAt, uuidKey } from './columns.ts';
import { Task } from './task.entity.ts';
import { User } from './user.entity.ts';

/** A comment on a task (the seeds' task_comments): plain text, edited by its author. A deleted task's comments leave in its history snapshot. */
export const TaskComment = defineEntity({
  name: 'TaskComment',
  tableName: 'task_comments',
  properties: {
    id: uuidKey(),
    task: () => p.manyToOne(Task).deleteRule('cascade'),
    author: () => p.manyToOne(User).nullable().deleteRule('set null'),
    body: p.text().check('length(btrim(body)) > 0 and length(body) <= 4000'),
    createdAt: createdAt(),
    editedAt: p.datetime(3).nullable(),
  },
  indexes: [{ name: 'task_comments_task_id_created_at_index', properties: ['task', 'createdAt'] }],
});
export type TaskComment = InferEntity<typeof TaskComment>;
