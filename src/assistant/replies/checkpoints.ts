// The durability of streaming replies in the database: their text checkpointed, their rows kept
// fresh while a live process generates them, and the rows of dead processes marked `interrupted`.
// Database time throughout, so instances with skewed clocks agree on what is stale.
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../../db/sql.ts';
import type { Checkpoint } from './active-reply.ts';

/**
 * Writes every reply's new text in one statement, however many stream at once. `left(…, keep)`
 * makes it idempotent: a checkpoint sent again after a lost answer appends nothing twice.
 */
export async function writeCheckpoints(em: EntityManager, checkpoints: Checkpoint[]): Promise<void> {
  if (checkpoints.length === 0) return;
  await executeBound(
    em,
    `update messages m set content = left(m.content, c.keep) || c.append,
       tool_calls = coalesce(c.tool_calls, m.tool_calls), tool_results = coalesce(c.tool_results, m.tool_results), updated_at = now()
     from json_to_recordset($1::json) as c(id uuid, keep int, append text, tool_calls jsonb, tool_results jsonb)
     where m.id = c.id and m.status = 'streaming'`,
    [JSON.stringify(checkpoints)],
  );
}

/**
 * Keeps the streaming rows of these conversations (this process's) fresh, and marks other rows
 * nobody refreshed as `interrupted`. A row is refreshed once it is half-way to stale (a checkpoint
 * refreshes a row whose text grew anyway), so a thousand streams cost a few rows a second, not a thousand.
 */
export async function sweepStreamingRows(em: EntityManager, ownConversations: string[], staleAfterMs: number): Promise<void> {
  await executeBound(
    em,
    `update messages set updated_at = now()
     where status = 'streaming' and conversation_id = any($1::uuid[]) and updated_at < now() - make_interval(secs => $2)`,
    [ownConversations, staleAfterMs / 2000],
  );
  await executeBound(
    em,
    `update messages set status = 'interrupted'
     where status = 'streaming' and updated_at < now() - make_interval(secs => $1) and conversation_id <> all($2::uuid[])`,
    [staleAfterMs / 1000, ownConversations],
  );
}
