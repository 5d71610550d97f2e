// Sign-up, log-in, refresh-token rotation with reuse detection, and log-out.
import { randomUUID } from 'node:crypto';
import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { List, ListMember, RefreshToken, User } from '../db/entities/index.ts';
import { AppError } from '../shared/errors.ts';
import { TasksRepository } from '../tasks/tasks.repository.ts';
import type { AccessTokens } from './access-tokens.ts';
import type { LoginBody, ProfilePatch, Session, SignupBody, UserDto } from './auth.schemas.ts';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import type { PersonalTokensService } from './personal-tokens.service.ts';
import { hashToken, newRefreshToken, successorOf } from './refresh-tokens.ts';
import type { EndedSessions } from './sessions.ts';

export interface AuthServiceOptions {
  tokens: AccessTokens;
  /** Derives each rotated refresh token (see `successorOf`). */
  secret: string;
  refreshTokenTtlMs: number;
  /** Where a session ends (logout, or a stolen refresh token replayed): its access tokens are refused everywhere. */
  sessions: EndedSessions;
  /** A session found stolen takes the personal access tokens minted in it along. */
  personalTokens: Pick<PersonalTokensService, 'revokeMintedIn'>;
}

/** Two refreshes of one token this close together are two tabs waking up, not a replay. */
export const refreshGraceMs = 10_000;

export const toUserDto = (user: User): UserDto => ({
  id: user.id,
  email: user.email,
  name: user.name ?? null,
  timezone: user.timezone,
  confirm_destructive: user.confirmDestructive,
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
    const user = this.em.create(User, {
      email: body.email,
      name: body.name ?? null,
      timezone: body.timezone ?? 'UTC',
      passwordHash: await hashPassword(body.password),
    });
    // Every user has a personal list, made with the account (in the same transaction).
    const personal = this.em.create(List, { owner: user, name: 'My tasks', personal: true });
    this.em.create(ListMember, { list: personal, user, role: 'owner' });
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

  /** Asks for the password again before an action a stolen access token must not be enough for (minting a personal token). */
  async confirmPassword(userId: string, password: string): Promise<void> {
    const user = await this.user(this.em, userId);
    if (!(await verifyPassword(user.passwordHash, password))) throw new AppError('FORBIDDEN', 'The password is incorrect');
  }

  async me(userId: string): Promise<UserDto> {
    return toUserDto(await this.user(this.em, userId));
  }

  /** Name, time zone and approvals; a new zone moves calendar-dated tasks to the start of their day there, in the same transaction. */
  async updateProfile(userId: string, patch: ProfilePatch): Promise<UserDto> {
    return this.em.transactional(async (em) => {
      const user = await this.user(em, userId);
      if (patch.name !== undefined) user.name = patch.name;
      if (patch.confirm_destructive !== undefined) user.confirmDestructive = patch.confirm_destructive;
      if (patch.timezone !== undefined && patch.timezone !== user.timezone) {
        user.timezone = patch.timezone;
        await new TasksRepository(em).moveCalendarDates(userId, patch.timezone);
      }
      await em.flush();
      return toUserDto(user);
    });
  }

  private async user(em: EntityManager, userId: string): Promise<User> {
    const user = await em.findOne(User, { id: userId });
    if (!user) throw new AppError('UNAUTHORIZED', 'The user of this token no longer exists');
    return user;
  }

  /**
   * Rotates a refresh token. Presenting a spent one again within the grace period answers the same
   * new pair; later, it revokes the whole session: the token was stolen or replayed.
   */
  async refresh(token: string): Promise<{ accessToken: string; refreshToken: string }> {
    const stored = await this.em.findOne(RefreshToken, { tokenHash: hashToken(token) });
    if (!stored || stored.revokedAt || stored.expiresAt.getTime() <= Date.now()) throw invalidRefreshToken();
    const userId = typeof stored.user === 'string' ? stored.user : stored.user.id;
    const successor = successorOf(token, this.options.secret);
    const pair = (usedAt: Date) => ({
      // Rounded up, so the pinned token lives its full lifetime (plus under a second), never less.
      accessToken: this.options.tokens.sign(userId, stored.familyId, Math.ceil(usedAt.getTime() / 1000)),
      refreshToken: successor,
    });
    const usedAt = new Date();
    // Claim the token and store its successor atomically: of two concurrent refreshes, one rotates.
    const claimed = await this.em.transactional(async (em) => {
      const count = await em.nativeUpdate(RefreshToken, { id: stored.id, usedAt: null, revokedAt: null }, { usedAt });
      if (count === 1) await this.insertRefreshToken(em, userId, stored.familyId, successor);
      return count === 1;
    });
    if (claimed) return pair(usedAt);
    const spent = await this.em.fork().findOne(RefreshToken, { id: stored.id });
    if (spent?.usedAt && !spent.revokedAt && Date.now() - spent.usedAt.getTime() <= refreshGraceMs) return pair(spent.usedAt);
    // A replay: the session is stolen, and so is anything minted in it.
    await this.endSession(stored.familyId);
    await this.options.personalTokens.revokeMintedIn(stored.familyId);
    throw invalidRefreshToken();
  }

  /** Ends the presented token's session; unknown tokens are ignored (logging out twice is fine). */
  async logout(token: string): Promise<void> {
    const stored = await this.em.findOne(RefreshToken, { tokenHash: hashToken(token) });
    if (stored) await this.endSession(stored.familyId);
  }

  private async startSession(user: User): Promise<Session> {
    // Expired tokens can never be used again: each login clears its user's.
    await this.em.nativeDelete(RefreshToken, { user: user.id, expiresAt: { $lt: new Date() } });
    const sessionId = randomUUID();
    const refreshToken = newRefreshToken();
    await this.insertRefreshToken(this.em, user.id, sessionId, refreshToken);
    return { user: toUserDto(user), accessToken: this.options.tokens.sign(user.id, sessionId), refreshToken };
  }

  private async insertRefreshToken(em: EntityManager, userId: string, sessionId: string, token: string): Promise<void> {
    await em.insert(RefreshToken, {
      user: userId,
      familyId: sessionId,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + this.options.refreshTokenTtlMs),
    });
  }

  private async endSession(sessionId: string): Promise<void> {
    await this.em.nativeUpdate(RefreshToken, { familyId: sessionId, revokedAt: null }, { revokedAt: new Date() });
    this.options.sessions.end(sessionId);
  }
}
