import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidKey } from './columns.ts';

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: uuidKey(),
    email: p.string().length(255).unique(),
    name: p.string().length(255).nullable(),
    // IANA zone every date the assistant reads or says is in.
    timezone: p.string().length(64).default('UTC'),
    // Ask before the assistant runs a destructive tool (delete, or clearing a due date or description).
    confirmDestructive: p.boolean().default(false),
    passwordHash: p.string().length(255).hidden(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type User = InferEntity<typeof User>;
