import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAt, uuidKey } from './columns.ts';
import { User } from './user.entity.ts';

export const Conversation = defineEntity({
  name: 'Conversation',
  tableName: 'conversations',
  properties: {
    id: uuidKey(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    title: p.string().length(255).check('length(btrim(title)) > 0'),
    createdAt: createdAt(),
    updatedAt: p
      .datetime(3)
      .defaultRaw('now()')
      .onCreate(() => new Date()),
    // Soft delete: a deleted conversation and its messages disappear from every read.
    deletedAt: p.datetime(3).nullable(),
    // Lease of the instance generating this conversation's reply: one reply at a time across instances.
    replyOwner: p.string().length(64).nullable(),
    replyLeaseUntil: p.datetime(3).nullable(),
  },
  indexes: [
    { name: 'conversations_user_id_updated_at_index', properties: ['user', 'updatedAt'] },
    {
      name: 'conversations_search_index',
      expression: `create index "conversations_search_index" on "conversations" using gin (to_tsvector('english', "title"))`,
    },
  ],
  // Soft delete, once: every find and count of conversations leaves deleted ones out (raw SQL says so itself).
  filters: { live: { name: 'live', cond: { deletedAt: null }, default: true } },
});
export type Conversation = InferEntity<typeof Conversation>;
