// The durability of streaming replies in the database: their text checkpointed, their rows kept
// fresh while a live process generates them, and the rows of dead processes marked `interrupted`.
// Database time throughout, so instances with skewed clocks agree on what is stale.
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../../db/sql.ts';
import type { Checkpoint } from './active-reply.ts';

/**
 * Writes every reply's new text in one statement, however many stream at once. The text goes to
 * `draft`, a column no index reads, so each checkpoint is a HOT update (the row's new version on its
 * own page, no index entry: `content` feeds the search index, and the finished text moves there once,
 * when the reply ends); `messages` keeps room on its pages for it (fillfactor 80). BENCHMARKS.md has
 * the measurement. The texts travel as
 * one binary parameter, their UTF-8 bytes end to end (cut apart by offset and length), so neither
 * side encodes, escapes or parses them. `left(…, keep)` makes it idempotent: a checkpoint sent
 * again after a lost answer appends nothing twice. Tool lists travel as JSON, for the few replies
 * whose tools changed.
 */
export async function writeCheckpoints(em: EntityManager, checkpoints: Checkpoint[]): Promise<void> {
  if (checkpoints.length === 0) return;
  const ids: string[] = [];
  const keep: number[] = [];
  const start: number[] = [];
  const length: number[] = [];
  const tools: Omit<Checkpoint, 'keep' | 'append'>[] = [];
  let offset = 1;
  for (const checkpoint of checkpoints) {
    ids.push(checkpoint.id);
    keep.push(checkpoint.keep);
    start.push(offset);
    length.push(checkpoint.append.length);
    offset += checkpoint.append.length;
    if (checkpoint.tool_calls || checkpoint.tool_results) {
      tools.push({ id: checkpoint.id, tool_calls: checkpoint.tool_calls, tool_results: checkpoint.tool_results });
    }
  }
  await executeBound(
    em,
    `update messages m set draft = left(coalesce(m.draft, m.content), c.keep) || convert_from(substring($5::bytea from c.start for c.length), 'UTF8'),
       tool_calls = coalesce(t.tool_calls, m.tool_calls), tool_results = coalesce(t.tool_results, m.tool_results), updated_at = now()
     from unnest($1::uuid[], $2::int[], $3::int[], $4::int[]) as c(id, keep, start, length)
       left join json_to_recordset($6::json) as t(id uuid, tool_calls jsonb, tool_results jsonb) on t.id = c.id
     where m.id = c.id and m.status = 'streaming'`,
    [ids, keep, start, length, Buffer.concat(checkpoints.map((checkpoint) => checkpoint.append)), JSON.stringify(tools)],
  );
}

/**
 * Keeps the streaming rows of these conversations (this process's) fresh, and marks other rows
 * nobody refreshed as `interrupted`, in one statement (the two touch different rows). A row is
 * refreshed once it is half-way to stale (a checkpoint refreshes a row whose text grew anyway), so a
 * thousand streams cost a few rows a second, not a thousand.
 */
export async function sweepStreamingRows(em: EntityManager, ownConversations: string[], staleAfterMs: number): Promise<void> {
  await executeBound(
    em,
    `with refreshed as (
       update messages set updated_at = now()
       where status = 'streaming' and conversation_id = any($1::uuid[]) and updated_at < now() - make_interval(secs => $2)
     )
     update messages set status = 'interrupted', content = coalesce(draft, content), draft = null
     where status = 'streaming' and updated_at < now() - make_interval(secs => $3) and conversation_id <> all($1::uuid[])`,
    [ownConversations, staleAfterMs / 2000, staleAfterMs / 1000],
  );
}
