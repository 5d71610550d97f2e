// One reply at a time per conversation across instances: the generating instance holds a lease on
// the conversation row, renewed while it streams and released at the end; a crashed instance's lease
// expires by itself. Database time throughout, so instances with skewed clocks agree.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Conversation } from '../../db/entities/index.ts';

const retryMs = 200;

export class ReplyLeases {
  /** This process, as the owner of leases. */
  private readonly owner = randomUUID();

  constructor(private readonly lifetimeMs: number) {}

  /**
   * Waits until this instance holds the conversation's lease; returns the conversation, or undefined
   * when `giveUp()` says so (stopped, closing) or the conversation is deleted meanwhile.
   */
  async claim(em: EntityManager, conversationId: string, giveUp: () => boolean): Promise<Conversation | undefined> {
    for (;;) {
      if (giveUp()) return undefined;
      const [claimed] = await em.execute(
        `update conversations set reply_owner = ?, reply_lease_until = now() + make_interval(secs => ?)
         where id = ? and deleted_at is null and (reply_owner is null or reply_owner = ? or reply_lease_until < now()) returning *`,
        [this.owner, this.lifetimeMs / 1000, conversationId, this.owner],
      );
      if (claimed) return em.map(Conversation, claimed);
      if ((await em.count(Conversation, { id: conversationId })) === 0) return undefined;
      await sleep(retryMs);
    }
  }

  /** Waits (at most `timeoutMs`) until no other instance generates a reply in the conversation. */
  async awaitFree(em: EntityManager, conversationId: string, timeoutMs: number): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(retryMs / 4)) {
      const [busy] = await em.execute(
        'select 1 from conversations where id = ? and reply_owner is not null and reply_owner <> ? and reply_lease_until >= now()',
        [conversationId, this.owner],
      );
      if (!busy) return;
    }
  }

  async release(em: EntityManager, conversationId: string): Promise<void> {
    await em.execute(`update conversations set reply_owner = null, reply_lease_until = null where id = ? and reply_owner = ?`, [conversationId, this.owner]);
  }

  /** Extends this instance's leases on these conversations by a lifetime. */
  async renew(em: EntityManager, conversationIds: string[]): Promise<void> {
    if (conversationIds.length === 0) return;
    await em.execute(`update conversations set reply_lease_until = now() + make_interval(secs => ?) where reply_owner = ? and id in (?)`, [
      this.lifetimeMs / 1000,
      this.owner,
      conversationIds,
    ]);
  }
}
