// `npm run bench -- checkpoints`: what a streaming reply's checkpoints cost PostgreSQL, written the
// way they are (to `draft`, HOT, fillfactor 80) against the way they were until issue #35 (to
// `content`, which the search index reads: never HOT, fillfactor 100). 500 replies stream realistic
// sentences among 50,000 finished messages; each second of streaming is one checkpoint statement for
// all of them; then the replies end. Counted: PostgreSQL's CPU, the share of HOT updates, and the size
// of `messages` with its indexes while streaming and after the replies end.
import { ActiveReply } from '../../src/assistant/replies/active-reply.ts';
import { writeCheckpoints } from '../../src/assistant/replies/checkpoints.ts';
import { openOrm } from '../../src/db/orm.ts';
import { executeBound } from '../../src/db/sql.ts';
import { cpuBetween, cpuOfNamed } from './processes.ts';
import { seedUsers, withClient } from './seed.ts';
import { round, sleep } from './stats.ts';

const words = (
  'I added the task to your list and set it for Friday morning so you will get a reminder before the meeting with ' +
  'the landlord about the rent and the plumber who is coming to fix the kitchen sink next week please tell me if you ' +
  'want me to change the priority or move anything else around on your calendar'
).split(' ');

/** The statement checkpoints ran before issue #35: the text into `content`, which the search index reads. */
const previousStatement = `update messages m set content = left(m.content, c.keep) || convert_from(substring($5::bytea from c.start for c.length), 'UTF8'),
       tool_calls = coalesce(t.tool_calls, m.tool_calls), tool_results = coalesce(t.tool_results, m.tool_results), updated_at = now()
     from unnest($1::uuid[], $2::int[], $3::int[], $4::int[]) as c(id, keep, start, length)
       left join json_to_recordset($6::json) as t(id uuid, tool_calls jsonb, tool_results jsonb) on t.id = c.id
     where m.id = c.id and m.status = 'streaming'`;

export interface CheckpointVariant {
  postgres_cpu_s: number;
  hot_share: number;
  messages_mb_streaming: number;
  messages_mb_after: number;
}
export interface CheckpointsReport {
  replies: number;
  seconds_of_streaming: number;
  finished_messages: number;
  draft_hot: CheckpointVariant;
  content_previous: CheckpointVariant;
}

export async function measureCheckpoints(databaseUrl: string, progress: (line: string) => void): Promise<CheckpointsReport> {
  const replies = 500;
  const seconds = 60;
  const finished = 50_000;
  const users = await seedUsers(databaseUrl, replies, `checkpoints${Date.now()}`);
  const orm = await openOrm(databaseUrl, { poolMax: 4 });
  const em = orm.em.fork();
  const stats = async () =>
    (
      await executeBound<{ upd: number; hot: number; bytes: number }>(
        em,
        `select n_tup_upd::int as upd, n_tup_hot_upd::int as hot, pg_total_relation_size('messages')::bigint as bytes from pg_stat_user_tables where relname = 'messages'`,
        [],
      )
    )[0]!;
  try {
    async function variant(name: 'draft_hot' | 'content_previous'): Promise<CheckpointVariant> {
      progress(`checkpoints: ${name.replace('_', ' ')}: ${replies} replies streaming for ${seconds} checkpoints among ${finished} finished messages`);
      await withClient(databaseUrl, async (client) => {
        await client.query(`delete from messages where user_id = any($1::uuid[])`, [users]);
        await client.query(`delete from conversations where user_id = any($1::uuid[])`, [users]);
        await client.query(`alter table messages set (fillfactor = ${name === 'draft_hot' ? 80 : 100})`);
        await client.query(`insert into conversations (user_id, title) select u, 'Checkpoints' from unnest($1::uuid[]) u`, [users]);
        // The finished messages first (as a live table holds them), then one streaming reply per user.
        await client.query(
          `insert into messages (conversation_id, user_id, role, content, status)
           select c.id, c.user_id, 'assistant', $2, 'complete' from conversations c, generate_series(1, $3) g where c.user_id = any($1::uuid[])`,
          [users, words.join(' '), finished / replies],
        );
        await client.query(
          `insert into messages (conversation_id, user_id, role, content, status) select c.id, c.user_id, 'assistant', '', 'streaming' from conversations c where c.user_id = any($1::uuid[])`,
          [users],
        );
        await client.query('vacuum full analyze messages');
      });
      const rows = await executeBound<{ id: string; conversation_id: string }>(
        em,
        `select id, conversation_id from messages where status = 'streaming' and user_id = any($1::uuid[])`,
        [users],
      );
      const active = rows.map((row) => new ActiveReply(row.conversation_id, row.id));
      await sleep(1_000);
      const before = await stats();
      const cpuBefore = cpuOfNamed(['postgres']);
      for (let second = 0; second < seconds; second++) {
        // About what a model streams in a second: a dozen words.
        for (const [index, reply] of active.entries())
          reply.text.append(`${words.slice((second * 12 + index) % 40, ((second * 12 + index) % 40) + 12).join(' ')} `);
        const changes = active.flatMap((reply) => reply.checkpoint() ?? []);
        if (name === 'draft_hot')
          await writeCheckpoints(
            em,
            changes.map((change) => change.checkpoint),
          );
        else {
          const ids: string[] = [];
          const keep: number[] = [];
          const start: number[] = [];
          const length: number[] = [];
          let offset = 1;
          for (const { checkpoint } of changes) {
            ids.push(checkpoint.id);
            keep.push(checkpoint.keep);
            start.push(offset);
            length.push(checkpoint.append.length);
            offset += checkpoint.append.length;
          }
          await executeBound(em, previousStatement, [ids, keep, start, length, Buffer.concat(changes.map(({ checkpoint }) => checkpoint.append)), '[]']);
        }
        for (const change of changes) change.saved();
      }
      const cpu = cpuBetween(cpuBefore, cpuOfNamed(['postgres']));
      await sleep(1_500); // statistics reach pg_stat_user_tables
      const streaming = await stats();
      // The replies end: their text is final (the draft's moved into content, as a reply's end does).
      await executeBound(
        em,
        `update messages set content = coalesce(draft, content), draft = null, status = 'complete' where status = 'streaming' and user_id = any($1::uuid[])`,
        [users],
      );
      await executeBound(em, 'vacuum messages', []);
      const after = await stats();
      return {
        postgres_cpu_s: round(cpu, 2),
        hot_share: round((streaming.hot - before.hot) / Math.max(streaming.upd - before.upd, 1), 2),
        messages_mb_streaming: round(Number(streaming.bytes) / 1_048_576, 1),
        messages_mb_after: round(Number(after.bytes) / 1_048_576, 1),
      };
    }
    const previous = await variant('content_previous');
    const now = await variant('draft_hot');
    return { replies, seconds_of_streaming: seconds, finished_messages: finished, draft_hot: now, content_previous: previous };
  } finally {
    await withClient(databaseUrl, (client) => client.query('alter table messages set (fillfactor = 80)'));
    await orm.close();
  }
}
