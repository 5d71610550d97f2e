// The streaming replies' durability, once a checkpoint period: the text of replies that changed is
// written, every streaming row of this process is kept fresh, rows nobody refreshed (their process
// died) become `interrupted`, and this instance's leases are renewed.
import type { Orm } from '../../db/orm.ts';
import type { Logger } from '../../shared/logger.ts';
import { sweepStreamingRows, writeCheckpoints } from './checkpoints.ts';
import type { KeyedQueue } from './keyed-queue.ts';
import type { ReplyLeases } from './leases.ts';
import type { ReplyRegistry } from './registry.ts';

export interface ReplyUpkeepOptions {
  orm: Orm;
  log: Logger;
  /** The replies of this instance, and the conversations with a reply queued or generating here. */
  active: ReplyRegistry;
  queue: KeyedQueue;
  leases: ReplyLeases;
  periodMs: number;
  staleAfterMs: number;
}

export class ReplyUpkeep {
  private timer: NodeJS.Timeout | undefined;
  /** A round in flight: the next one is skipped rather than run beside it (see `round`). */
  private running = false;

  constructor(private readonly options: ReplyUpkeepOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.round(), this.options.periodMs);
    this.timer.unref();
    void this.round();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Never two at once: a round that outlasts its period (rows locked by finishing replies, a slow
   * database) would otherwise meet the next one on the same rows, locked in another order — a
   * deadlock that fails one of them and piles more statements onto a database already behind.
   */
  private async round(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const { active, queue, leases, log } = this.options;
    const em = this.options.orm.em.fork();
    try {
      const changes = active.all().flatMap((reply) => reply.checkpoint() ?? []);
      await writeCheckpoints(
        em,
        changes.map((change) => change.checkpoint),
      );
      for (const change of changes) change.saved();
      await sweepStreamingRows(em, queue.keys(), this.options.staleAfterMs);
      await leases.renew(em, active.conversations());
    } catch (error) {
      log.warn({ err: error }, 'reply checkpoint failed');
    } finally {
      this.running = false;
    }
  }
}
