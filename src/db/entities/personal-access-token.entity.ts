import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAt, uuidKey } from './columns.ts';
import { User } from './user.entity.ts';

/** A long-lived token for scripts and MCP clients; only its SHA-256 is kept. */
export const PersonalAccessToken = defineEntity({
  name: 'PersonalAccessToken',
  tableName: 'personal_access_tokens',
  properties: {
    id: uuidKey(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    name: p.string().length(100),
    tokenHash: p.string().length(64).unique(),
    createdAt: createdAt(),
    lastUsedAt: p.datetime(3).nullable(),
    expiresAt: p.datetime(3).nullable(),
    revokedAt: p.datetime(3).nullable(),
    /** The login session (refresh-token family) that minted it: a replay of that session's refresh token revokes it. */
    sessionId: p.uuid().nullable().index(),
  },
});
export type PersonalAccessToken = InferEntity<typeof PersonalAccessToken>;
