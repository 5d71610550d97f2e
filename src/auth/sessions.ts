// Sessions (one per login: the refresh-token family) that logout or reuse detection ended. Their
// access tokens are refused at once: each instance keeps the ended ones in memory, hears of new ones
// from its peers, and reads the database every few seconds in case a notice was lost.
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../db/sql.ts';

const syncEveryMs = 5_000;
/** Instances' clocks differ: each sync also looks this far back. */
const clockSlackMs = 60_000;

export class EndedSessions {
  /** Session id → when its last access token has surely expired (epoch ms). */
  private readonly ended = new Map<string, number>();
  private syncedUntil: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((sessionId: string) => void)[] = [];

  /** Its one statement runs on its own, never in a request's transaction: one fork, made once (it holds no entities). */
  private readonly em: EntityManager;

  constructor(
    em: EntityManager,
    private readonly accessTokenTtlMs: number,
  ) {
    this.em = em.fork();
    this.syncedUntil = Date.now() - accessTokenTtlMs;
  }

  has(sessionId: string): boolean {
    return this.ended.has(sessionId);
  }

  /** Records a session that ended elsewhere (a peer told us, or the database did). */
  add(sessionId: string): void {
    this.ended.set(sessionId, Date.now() + this.accessTokenTtlMs + clockSlackMs);
  }

  /** Ends a session here and tells whoever listens (the gateway: the peers, and the session's sockets). */
  end(sessionId: string): void {
    this.add(sessionId);
    for (const listener of this.listeners) listener(sessionId);
  }

  onEnd(listener: (sessionId: string) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => void this.sync().catch(() => undefined), syncEveryMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sync(): Promise<void> {
    const since = new Date(this.syncedUntil - clockSlackMs);
    const startedAt = Date.now();
    const rows = await executeBound<{ family_id: string }>(this.em, 'select distinct family_id from refresh_tokens where revoked_at >= $1', [since]);
    for (const row of rows) if (!this.ended.has(row.family_id)) this.add(row.family_id);
    this.syncedUntil = startedAt;
    for (const [sessionId, forgetAt] of this.ended) if (forgetAt < startedAt) this.ended.delete(sessionId);
  }
}
