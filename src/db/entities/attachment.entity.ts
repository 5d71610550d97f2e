import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAt, uuidKey } from './columns.ts';
import { User } from './user.entity.ts';

/**
 * A file on a task (the seeds' task_attachments): what it is; its bytes are in the file store
 * (attachments/storage.ts) under the same id. No key to the task: when the task is deleted its files
 * are kept (deleted_at, deleted_with the history row) so that an undo brings them back, and purged
 * once the undo window has closed.
 */
export const TaskAttachment = defineEntity({
  name: 'TaskAttachment',
  tableName: 'task_attachments',
  properties: {
    id: uuidKey(),
    taskId: p.uuid(),
    uploadedBy: () => p.manyToOne(User).deleteRule('cascade'),
    filename: p.string().length(255),
    contentType: p.string().length(100),
    size: p.bigint('number'),
    createdAt: createdAt(),
    // Null while the upload runs: such a row is nobody's file yet (purged if its upload never ended).
    storedAt: p.datetime(3).nullable(),
    // Removed (alone, or with its task) by the history row deleted_with; its bytes stay until the undo window closes.
    deletedAt: p.datetime(3).nullable(),
    deletedWith: p.uuid().nullable(),
  },
  indexes: [
    { name: 'task_attachments_task_id_created_at_index', properties: ['taskId', 'createdAt'] },
    { name: 'task_attachments_uploaded_by_id_index', properties: ['uploadedBy'] },
    { name: 'task_attachments_deleted_with_index', properties: ['deletedWith'] },
  ],
});
export type TaskAttachment = InferEntity<typeof TaskAttachment>;

/** A file's bytes in PostgreSQL (the default file store), in chunks read and written one at a time. */
export const FileChunk = defineEntity({
  name: 'FileChunk',
  tableName: 'file_chunks',
  properties: {
    fileId: p.uuid().primary(),
    seq: p.integer().primary(),
    data: p.blob(),
  },
});
export type FileChunk = InferEntity<typeof FileChunk>;
