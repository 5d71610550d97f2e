// Personal access tokens: long-lived secrets for scripts and MCP clients. The secret is shown once
// and kept as SHA-256; every use reads the database, so a revoked one is refused at once everywhere.
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PersonalAccessToken } from '../db/entities/index.ts';
import { executeBound } from '../db/sql.ts';
import { notFound } from '../shared/errors.ts';
import { type AccessClaims, type PersonalTokenVerifier, personalTokenPrefix } from './access-tokens.ts';
import type { PersonalTokenDto } from './auth.schemas.ts';
import { hashToken } from './refresh-tokens.ts';
import type { EndedSessions } from './sessions.ts';

/** The session id of a personal access token's sockets (see EndedSessions and the gateway's session rooms). */
export const personalTokenSession = (id: string) => `pat:${id}`;

const toDto = (token: Pick<PersonalAccessToken, 'id' | 'name' | 'createdAt' | 'lastUsedAt' | 'expiresAt'>): PersonalTokenDto => ({
  id: token.id,
  name: token.name,
  created_at: token.createdAt.toISOString(),
  last_used_at: token.lastUsedAt?.toISOString() ?? null,
  expires_at: token.expiresAt?.toISOString() ?? null,
});

export class PersonalTokensService implements PersonalTokenVerifier {
  /** For `verify`, which runs on its own (never in a request's transaction): one fork, made once (it holds no entities). */
  private readonly standalone: EntityManager;

  constructor(
    private readonly em: EntityManager,
    /** A revoked token's sockets are disconnected on every instance, as an ended session's. */
    private readonly sessions: EndedSessions,
  ) {
    this.standalone = em.fork();
  }

  /** A new token, recorded with the login session that minted it (`sessionId`). */
  async create(userId: string, sessionId: string, input: { name: string; expires_in_days?: number }): Promise<{ token: PersonalTokenDto; secret: string }> {
    const secret = `${personalTokenPrefix}${randomBytes(32).toString('base64url')}`;
    const expiresAt = input.expires_in_days ? new Date(Date.now() + input.expires_in_days * 86_400_000) : null;
    const token = this.em.create(PersonalAccessToken, { user: userId, name: input.name, tokenHash: hashToken(secret), expiresAt, sessionId });
    await this.em.flush();
    return { token: toDto(token), secret };
  }

  async list(userId: string): Promise<PersonalTokenDto[]> {
    const tokens = await this.em.find(PersonalAccessToken, { user: userId, revokedAt: null }, { orderBy: { createdAt: 'desc', id: 'desc' } });
    return tokens.map(toDto);
  }

  async revoke(userId: string, id: string): Promise<void> {
    const revoked = await this.em.nativeUpdate(PersonalAccessToken, { id, user: userId, revokedAt: null }, { revokedAt: new Date() });
    if (revoked === 0) throw notFound('Token');
    this.sessions.end(personalTokenSession(id));
  }

  /** Revokes every live token minted in a login session (found stolen: its refresh token was replayed), everywhere at once. */
  async revokeMintedIn(sessionId: string): Promise<void> {
    const rows = await executeBound<{ id: string }>(
      this.standalone,
      'update personal_access_tokens set revoked_at = now() where session_id = $1 and revoked_at is null returning id',
      [sessionId],
    );
    for (const { id } of rows) this.sessions.end(personalTokenSession(id));
  }

  /**
   * The claims of a live token, or undefined. Its use is recorded at most once a minute: a script or
   * an MCP client calling many times a second costs a read per call, not a row write.
   */
  async verify(secret: string): Promise<AccessClaims | undefined> {
    const [row] = await executeBound<{ id: string; user_id: string; expires_at: Date | null }>(
      this.standalone,
      `with live as (
         select id, user_id, expires_at, last_used_at from personal_access_tokens
         where token_hash = $1 and revoked_at is null and (expires_at is null or expires_at > now())
       ), used as (
         update personal_access_tokens t set last_used_at = now() from live
         where t.id = live.id and (live.last_used_at is null or live.last_used_at < now() - interval '1 minute')
       )
       select id, user_id, expires_at from live`,
      [hashToken(secret)],
    );
    if (!row) return undefined;
    return {
      userId: row.user_id,
      sessionId: personalTokenSession(row.id),
      expiresAt: row.expires_at ? new Date(row.expires_at).getTime() : Number.POSITIVE_INFINITY,
      kind: 'personal',
    };
  }
}
