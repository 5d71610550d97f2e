// One reply at a time per conversation across instances: the generating instance holds a lease on
// the conversation row, renewed while it streams and released at the end; a crashed instance's lease
// expires by itself. Database time throughout, so instances with skewed clocks agree.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Conversation } from '../../db/entities/index.ts';
import { executeBound } from '../../db/sql.ts';

const retryMs = 200;

/**
 * The assignments of an update of a conversation row that end the lease of the owner bound at
 * `owner` (`$n`), and leave a lease another instance holds as it is.
 */
export const leaseReleased = (owner: string) =>
  `reply_owner = nullif(reply_owner, ${owner}), reply_lease_until = case when reply_owner = ${owner} then null else reply_lease_until end`;

/** A claim's outcome: the lease is held (with the conversation and its reply's creation time), or why not. */
export type Claim = { claimed: true; conversation: Conversation; replyCreatedAt: string } | { claimed: false; why: 'given_up' | 'deleted' | 'reply_gone' };

export class ReplyLeases {
  /** This process, as the owner of leases. */
  readonly owner = randomUUID();

  constructor(private readonly lifetimeMs: number) {}

  /**
   * Waits until this instance holds the conversation's lease for the reply `replyId`, in the one
   * statement that also checks the reply still waits to be generated. Ends early when `giveUp()`
   * says so (stopped, closing), the conversation is deleted, or the reply's row is no longer streaming.
   */
  async claim(em: EntityManager, conversationId: string, replyId: string, giveUp: () => boolean): Promise<Claim> {
    for (;;) {
      if (giveUp()) return { claimed: false, why: 'given_up' };
      const [row] = await executeBound<Record<string, unknown> & { reply_created_at: string }>(
        em,
        `update conversations c set reply_owner = $1, reply_lease_until = now() + make_interval(secs => $2)
         from messages r
         where c.id = $3 and c.deleted_at is null and r.id = $4 and r.conversation_id = c.id and r.status = 'streaming'
           and (c.reply_owner is null or c.reply_owner = $1 or c.reply_lease_until < now())
         returning c.*, r.created_at as reply_created_at`,
        [this.owner, this.lifetimeMs / 1000, conversationId, replyId],
      );
      if (row) {
        const { reply_created_at: replyCreatedAt, ...conversation } = row;
        return { claimed: true, conversation: em.map(Conversation, conversation), replyCreatedAt };
      }
      const [state] = await executeBound<{ live: boolean; streaming: boolean }>(
        em,
        `select exists (select 1 from conversations where id = $1 and deleted_at is null) as live,
           exists (select 1 from messages where id = $2 and status = 'streaming') as streaming`,
        [conversationId, replyId],
      );
      if (!state!.live) return { claimed: false, why: 'deleted' };
      if (!state!.streaming) return { claimed: false, why: 'reply_gone' };
      await sleep(retryMs);
    }
  }

  /** Waits (at most `timeoutMs`) until no other instance generates a reply in the conversation. */
  async awaitFree(em: EntityManager, conversationId: string, timeoutMs: number): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(retryMs / 4)) {
      const [busy] = await executeBound(
        em,
        'select 1 from conversations where id = $1 and reply_owner is not null and reply_owner <> $2 and reply_lease_until >= now()',
        [conversationId, this.owner],
      );
      if (!busy) return;
    }
  }

  async release(em: EntityManager, conversationId: string): Promise<void> {
    await executeBound(em, `update conversations set ${leaseReleased('$2')} where id = $1 and reply_owner = $2`, [conversationId, this.owner]);
  }

  /** Extends this instance's leases on these conversations by a lifetime, once they are half-way through the one they have. */
  async renew(em: EntityManager, conversationIds: string[]): Promise<void> {
    if (conversationIds.length === 0) return;
    await executeBound(
      em,
      `update conversations set reply_lease_until = now() + make_interval(secs => $1)
       where reply_owner = $2 and id = any($3::uuid[]) and reply_lease_until < now() + make_interval(secs => $4)`,
      [this.lifetimeMs / 1000, this.owner, conversationIds, this.lifetimeMs / 2000],
    );
  }
}
