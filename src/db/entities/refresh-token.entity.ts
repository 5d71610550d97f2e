import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAt, uuidKey } from './columns.ts';
import { User } from './user.entity.ts';

export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    id: uuidKey(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    // Every token rotated from one login shares a family; reuse of a spent token revokes the family.
    familyId: p.uuid().index(),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(3),
    usedAt: p.datetime(3).nullable(),
    // Each instance reads the sessions ended lately (see auth/sessions.ts).
    revokedAt: p.datetime(3).nullable().index(),
    createdAt: createdAt(),
  },
});
export type RefreshToken = InferEntity<typeof RefreshToken>;
