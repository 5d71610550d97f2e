// `npm run bench -- bigdata`: the reads of a user with a lot — 1,000,000 messages (in conversations
// of 1,000) and 100,000 tasks, seeded by SQL — against the same reads with 10,000 messages and 1,000
// tasks: search, the task list (first page, and a page deep in the cursor), joining a conversation,
// and the peak memory of an export of every task. Message texts are drawn from a skewed vocabulary,
// so search words range from one in a few messages to one in thousands.
import { io } from 'socket.io-client';
import type { Child } from './processes.ts';
import { rssKb } from './processes.ts';
import { accessToken, seedUsers, withClient } from './seed.ts';
import { percentile, round, sleep } from './stats.ts';

const everyday = (
  'call email buy pay book renew finish clean water pick send plan write read review fix order check meet bring ' +
  'milk rent dentist flights passport report plants garage present groceries invoice slides budget meeting doctor ' +
  'tomorrow friday monday morning evening week month today tonight later soon first last next ' +
  'please thanks remind add show complete delete move make urgent important low high pending done ' +
  'mom dad sam anna team landlord plumber bank school office kitchen car bike dog cat garden house'
).split(' ');
/**
 * The words texts are made of: the everyday ones, then 5,000 rarer ones, drawn log-uniformly by rank
 * (about as skewed as words in real text), so a search word may match a tenth of the messages or a few.
 */
const vocabulary = [...everyday, ...Array.from({ length: 5_000 }, (_, index) => `word${index}x`)];
/** Search words from the most common to the rare. */
const searchWords = [...everyday.slice(0, 30), ...Array.from({ length: 30 }, (_, index) => `word${index * 150}x`)];

export interface BigDataFigures {
  messages: number;
  tasks: number;
  search_p50_ms: number;
  search_p99_ms: number;
  list_first_page_p99_ms: number;
  list_deep_page_p99_ms: number;
  join_p99_ms: number;
  export_peak_rss_mb_over_idle: number;
  export_seconds: number;
}
export interface BigDataReport {
  small: BigDataFigures;
  large: BigDataFigures;
  ratios: Record<string, number>;
}

/** One user's conversations of 1,000 messages each (sentences of the vocabulary) and tasks, by SQL. */
async function seed(databaseUrl: string, userId: string, messages: number, tasks: number, progress: (line: string) => void) {
  await withClient(databaseUrl, async (client) => {
    const conversations = Math.max(1, Math.round(messages / 1_000));
    await client.query(`insert into conversations (user_id, title) select $1, 'Conversation ' || g from generate_series(1, $2) g`, [userId, conversations]);
    // In slices of 100,000, so one statement's memory stays small.
    for (let done = 0; done < messages; done += 100_000) {
      const slice = Math.min(100_000, messages - done);
      await client.query(
        `insert into messages (conversation_id, user_id, role, content, status, created_at)
         select c.id, $1, case when g % 2 = 1 then 'user' else 'assistant' end,
                array_to_string(array(select ($2::text[])[floor(exp(random() * ln(array_length($2::text[], 1))))::int] from generate_series(1, 8 + g % 12) w where g > 0), ' '),
                'complete', now() - interval '30 days' + (($4 + g) || ' seconds')::interval
         from generate_series(1, $3) g
         join lateral (select id from conversations where user_id = $1 order by title offset ((($4 + g - 1) / 1000) % $5) limit 1) c on true`,
        [userId, vocabulary, slice, done, conversations],
      );
      progress(`bigdata: ${done + slice} of ${messages} messages`);
    }
    await client.query(
      `insert into tasks (list_id, number, title, priority, due_date, created_by_id, updated_by_id)
       select l.id, g, initcap(array_to_string(array(select ($2::text[])[1 + floor(random() * 100)::int] from generate_series(1, 3 + g % 4) w where g > 0), ' ')),
              (array['low','medium','high','urgent'])[1 + g % 4], now() + (g || ' hours')::interval, $1, $1
         from lists l, generate_series(1, $3) g where l.owner_id = $1 and l.personal`,
      [userId, vocabulary, tasks],
    );
    await client.query('update lists set task_seq = $2 where owner_id = $1 and personal', [userId, tasks]);
    // Statistics as autovacuum would have them a minute later: the bench measures a settled database.
    await client.query('vacuum analyze messages');
    await client.query('vacuum analyze tasks');
  });
}

async function timed(times: number, request: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < times; index++) {
    const at = performance.now();
    await request();
    samples.push(performance.now() - at);
  }
  return samples;
}

async function measure(app: Child, userId: string, messages: number, tasks: number): Promise<BigDataFigures> {
  const headers = { authorization: `Bearer ${accessToken(userId)}` };
  const get = async (path: string) => {
    const response = await fetch(`${app.url}${path}`, { headers });
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return response.json() as Promise<{ next_cursor?: string | null; conversations?: { id: string }[] }>;
  };
  // Warm: the first requests compile and fill caches, as on a server that has been up a while.
  await get('/api/tasks?limit=50');
  await get('/api/search?q=dentist&limit=20');
  let word = 0;
  const search = await timed(120, () => get(`/api/search?q=${encodeURIComponent(searchWords[word++ % searchWords.length]!)}&limit=20`));
  const firstPage = await timed(200, () => get('/api/tasks?limit=50'));
  // A cursor 90% of the way down the list, reached by paging (the cursor is opaque).
  let cursor: string | null = null;
  for (let seen = 0; seen < tasks * 0.9; seen += 200) {
    const page = await get(`/api/tasks?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    cursor = page.next_cursor ?? null;
    if (!cursor) break;
  }
  const deepPage = await timed(200, () => get(`/api/tasks?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
  const conversations = (await get('/api/conversations?limit=100')).conversations ?? [];
  const socket = io(app.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: accessToken(userId) } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  let index = 0;
  const joins = await timed(200, () => socket.emitWithAck('conversation:join', { conversationId: conversations[index++ % conversations.length]!.id }));
  socket.close();
  await sleep(1_000);
  const idle = rssKb(app.pid);
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssKb(app.pid));
  }, 20);
  const exportStart = performance.now();
  const response = await fetch(`${app.url}/api/tasks/export?format=json`, { headers });
  await response.arrayBuffer();
  const exportSeconds = (performance.now() - exportStart) / 1000;
  clearInterval(sampler);
  const p = (values: number[], at: number) => round(percentile(values, at), 1);
  return {
    messages,
    tasks,
    search_p50_ms: p(search, 50),
    search_p99_ms: p(search, 99),
    list_first_page_p99_ms: p(firstPage, 99),
    list_deep_page_p99_ms: p(deepPage, 99),
    join_p99_ms: p(joins, 99),
    export_peak_rss_mb_over_idle: round((peak - idle) / 1024, 0),
    export_seconds: round(exportSeconds, 2),
  };
}

export async function measureBigData(
  databaseUrl: string,
  start: () => Promise<Child>,
  stop: (child: Child) => Promise<void>,
  progress: (line: string) => void,
): Promise<BigDataReport> {
  const [small, large] = await seedUsers(databaseUrl, 2, `bigdata${Date.now()}`);
  progress('bigdata: seeding 10,000 messages and 1,000 tasks');
  await seed(databaseUrl, small!, 10_000, 1_000, progress);
  progress('bigdata: seeding 1,000,000 messages and 100,000 tasks');
  await seed(databaseUrl, large!, 1_000_000, 100_000, progress);
  const app = await start();
  try {
    progress('bigdata: reads at 10,000 messages');
    const smallFigures = await measure(app, small!, 10_000, 1_000);
    progress('bigdata: reads at 1,000,000 messages');
    const largeFigures = await measure(app, large!, 1_000_000, 100_000);
    const ratios = Object.fromEntries(
      (['search_p99_ms', 'list_first_page_p99_ms', 'list_deep_page_p99_ms', 'join_p99_ms'] as const).map((key) => [
        key,
        round(largeFigures[key] / smallFigures[key], 2),
      ]),
    );
    return { small: smallFigures, large: largeFigures, ratios };
  } finally {
    await stop(app);
  }
}
