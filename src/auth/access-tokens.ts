// Access tokens: HS256 JWTs naming their user and session, refused once the session has ended;
// and personal access tokens (`tsk_…`), which work wherever an access token does.
import type { JWT } from '@fastify/jwt';
import { AppError, rateLimited } from '../shared/errors.ts';
import type { KeyedBuckets } from '../shared/token-bucket.ts';
import type { EndedSessions } from './sessions.ts';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  /** When the token expires (epoch ms; Infinity for a personal token without expiry). */
  expiresAt: number;
  /** A login's access token, or a personal access token. */
  kind: 'login' | 'personal';
}

/** What every personal access token starts with (and no access token does). */
export const personalTokenPrefix = 'tsk_';

/** Checks a personal access token's secret: its claims while it lives (PersonalTokensService). */
export interface PersonalTokenVerifier {
  verify(secret: string): Promise<AccessClaims | undefined>;
}

export const unauthorized = () => new AppError('UNAUTHORIZED', 'A valid access token is required');

export class AccessTokens {
  constructor(
    private readonly jwt: JWT,
    private readonly sessions: EndedSessions,
    private readonly personal: PersonalTokenVerifier,
    /** Failed authentications per client address (absent when RATE_LIMITS=off): once spent, no token is even looked up. */
    private readonly failures?: KeyedBuckets,
  ) {}

  /** The claims of a valid access token or personal access token, or UNAUTHORIZED; RATE_LIMITED when `address` failed too often. */
  async authenticate(token: unknown, address: string): Promise<AccessClaims> {
    const wait = this.failures?.msUntilToken(address) ?? 0;
    if (wait > 0) throw rateLimited(wait, 'auth_failures');
    try {
      return await this.check(token);
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNAUTHORIZED') this.failures?.take(address);
      throw error;
    }
  }

  private async check(token: unknown): Promise<AccessClaims> {
    if (typeof token !== 'string' || !token.startsWith(personalTokenPrefix)) return this.verify(token);
    if (token.length > 200) throw unauthorized();
    const claims = await this.personal.verify(token);
    if (!claims) throw unauthorized();
    return claims;
  }

  /** `issuedAt` (epoch s) pins the token, so that a refresh answered twice answers the same token. */
  sign(userId: string, sessionId: string, issuedAt?: number): string {
    return this.jwt.sign(issuedAt === undefined ? { sub: userId, sid: sessionId } : { sub: userId, sid: sessionId, iat: issuedAt });
  }

  /** The claims of a valid access token of a live session, or UNAUTHORIZED. */
  private verify(token: unknown): AccessClaims {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) throw unauthorized();
    let payload: { sub?: unknown; sid?: unknown; exp?: unknown };
    try {
      payload = this.jwt.verify(token);
    } catch {
      throw unauthorized();
    }
    const { sub, sid, exp } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof exp !== 'number' || this.sessions.has(sid)) throw unauthorized();
    return { userId: sub, sessionId: sid, expiresAt: exp * 1000, kind: 'login' };
  }

  /** The token of an `Authorization: Bearer …` header, if it has one. */
  static fromHeader(header: string | undefined): string | undefined {
    return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  }
}
