// Rate limits (RATE_LIMITS=off registers none). Login, signup and refresh count in PostgreSQL, so
// they hold across instances; the per-user REST budget is kept by each instance in memory.
import rateLimit from '@fastify/rate-limit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Limits, WindowLimit } from '../config/config.ts';
import { executeBound } from '../db/sql.ts';
import { rateLimited } from '../shared/errors.ts';
import { InFlight } from '../shared/in-flight.ts';

/** Fixed windows counted in PostgreSQL: one upsert per attempt, whichever instance sees it. */
export class SharedWindows {
  private timer: NodeJS.Timeout | undefined;
  /** Its statements run on their own, never in a request's transaction: one fork, made once (it holds no entities). */
  private readonly em: EntityManager;

  constructor(em: EntityManager) {
    this.em = em.fork();
  }

  /** Counts one hit on `key`; RATE_LIMITED (with when to retry) once the window's budget is spent. */
  async take(key: string, limit: WindowLimit): Promise<void> {
    const [row] = await executeBound<{ hits: number; retry_ms: number }>(
      this.em,
      `insert into rate_limit_windows as w (key, hits, reset_at) values ($1, 1, now() + make_interval(secs => $2))
       on conflict (key) do update set
         hits = case when w.reset_at <= now() then 1 else w.hits + 1 end,
         reset_at = case when w.reset_at <= now() then excluded.reset_at else w.reset_at end
       returning hits, ceil(extract(epoch from w.reset_at - now()) * 1000)::int as retry_ms`,
      [key, limit.windowMs / 1000],
    );
    if (row!.hits > limit.max) throw rateLimited(row!.retry_ms, 'auth');
  }

  /** Forgets windows that ended, once a minute. */
  start(): void {
    this.timer = setInterval(() => void executeBound(this.em, 'delete from rate_limit_windows where reset_at < now()', []).catch(() => undefined), 60_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** The attempts of the auth routes, keyed on what a client cannot forge: its address and the normalized email. */
export interface AuthLimits {
  signup(ip: string): Promise<void>;
  login(ip: string, email: string): Promise<void>;
  refresh(ip: string): Promise<void>;
  /** A password asked for again (minting a personal token), per user: as many as logins per email. */
  reauthenticate(userId: string): Promise<void>;
}

const unlimited: AuthLimits = { signup: async () => {}, login: async () => {}, refresh: async () => {}, reauthenticate: async () => {} };

export function authLimits(windows: SharedWindows, limits: Limits | null): AuthLimits {
  if (!limits) return unlimited;
  return {
    signup: (ip) => windows.take(`signup:ip:${ip}`, limits.signupPerIp),
    login: async (ip, email) => {
      await windows.take(`login:ip:${ip}`, limits.loginPerIp);
      await windows.take(`login:email:${email}`, limits.loginPerEmail);
    },
    refresh: (ip) => windows.take(`refresh:ip:${ip}`, limits.refreshPerIp),
    reauthenticate: (userId) => windows.take(`reauth:user:${userId}`, limits.loginPerEmail),
  };
}

/** The REST budget: per verified user on protected routes (the guard has run by preHandler), per address elsewhere. */
export async function registerRestLimit(app: FastifyInstance, limits: Limits | null): Promise<void> {
  if (!limits) return;
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: limits.restPerUser.max,
    timeWindow: limits.restPerUser.windowMs,
    keyGenerator: (request) => (request.userId ? `user:${request.userId}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) => Object.assign(rateLimited(context.ttl, 'rest'), { statusCode: 429 }),
  });
}

/**
 * At most `perUser` of a user's requests in progress at once in a scope whose guard has run (429
 * beyond): however many requests one user sends, they hold that many database connections at most.
 */
export function registerInFlightLimit(scope: FastifyInstance, perUser: number | undefined): void {
  if (perUser === undefined) return;
  const inFlight = new InFlight(perUser);
  const leaves = new WeakMap<FastifyRequest, () => void>();
  scope.addHook('onRequest', async (request) => {
    const leave = inFlight.enter(request.userId);
    if (!leave) throw rateLimited(1_000, 'requests_in_flight');
    leaves.set(request, leave);
  });
  const leave = async (request: FastifyRequest) => leaves.get(request)?.();
  scope.addHook('onResponse', leave);
  scope.addHook('onRequestAbort', leave);
}
