// Sign-up, log-in, refresh-token rotation with reuse detection, and log-out.
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { RefreshToken, User } from '../db/entities/index.ts';
import { AppError } from '../shared/errors.ts';
import type { LoginBody, Session, SignupBody, UserDto } from './auth.schemas.ts';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens.ts';

export interface AuthServiceOptions {
  signAccessToken(userId: string): string;
  refreshTokenTtlMs: number;
}

export const toUserDto = (user: User): UserDto => ({
  id: user.id,
  email: user.email,
  name: user.name ?? null,
  created_at: user.createdAt.toISOString(),
});

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'Email or password is incorrect');
const invalidRefreshToken = () => new AppError('UNAUTHORIZED', 'The refresh token is invalid, expired or revoked');

export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly options: AuthServiceOptions,
  ) {}

  async signup(body: SignupBody): Promise<Session> {
    const user = this.em.create(User, { email: body.email, name: body.name ?? null, passwordHash: await hashPassword(body.password) });
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new AppError('EMAIL_TAKEN', 'An account with this email already exists');
      throw error;
    }
    return this.startSession(user);
  }

  async login(body: LoginBody): Promise<Session> {
    const user = await this.em.findOne(User, { email: body.email });
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), body.password);
    if (!user || !ok) throw invalidCredentials();
    return this.startSession(user);
  }

  async me(userId: string): Promise<UserDto> {
    const user = await this.em.findOne(User, { id: userId });
    if (!user) throw new AppError('UNAUTHORIZED', 'The user of this token no longer exists');
    return toUserDto(user);
  }

  /** Rotates a refresh token. Presenting a spent one revokes its whole family: it was stolen or replayed. */
  async refresh(token: string): Promise<{ accessToken: string; refreshToken: string }> {
    const stored = await this.em.findOne(RefreshToken, { tokenHash: hashRefreshToken(token) });
    if (!stored || stored.revokedAt || stored.expiresAt.getTime() <= Date.now()) throw invalidRefreshToken();
    // Claim the token atomically, so two concurrent refreshes cannot both rotate it.
    const claimed = await this.em.nativeUpdate(RefreshToken, { id: stored.id, usedAt: null, revokedAt: null }, { usedAt: new Date() });
    if (claimed === 0) {
      await this.revokeFamily(stored.familyId);
      throw invalidRefreshToken();
    }
    const userId = typeof stored.user === 'string' ? stored.user : stored.user.id;
    return { accessToken: this.options.signAccessToken(userId), refreshToken: await this.issueRefreshToken(userId, stored.familyId) };
  }

  /** Revokes the presented token's family; unknown tokens are ignored (logging out twice is fine). */
  async logout(token: string): Promise<void> {
    const stored = await this.em.findOne(RefreshToken, { tokenHash: hashRefreshToken(token) });
    if (stored) await this.revokeFamily(stored.familyId);
  }

  private async startSession(user: User): Promise<Session> {
    // Expired tokens can never be used again: each login clears its user's.
    await this.em.nativeDelete(RefreshToken, { user: user.id, expiresAt: { $lt: new Date() } });
    return {
      user: toUserDto(user),
      accessToken: this.options.signAccessToken(user.id),
      refreshToken: await this.issueRefreshToken(user.id, randomUUID()),
    };
  }

  private async issueRefreshToken(userId: string, familyId: string): Promise<string> {
    const token = newRefreshToken();
    await this.em.insert(RefreshToken, {
      user: userId,
      familyId,
      tokenHash: hashRefreshToken(token),
      expiresAt: new Date(Date.now() + this.options.refreshTokenTtlMs),
    });
    return token;
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
  }
}
