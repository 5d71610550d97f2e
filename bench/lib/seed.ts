// Benchmark data straight into PostgreSQL, and access tokens signed with the servers' secret.
import { createHmac, randomUUID } from 'node:crypto';
import pg from 'pg';
import { hashPassword } from '../../src/auth/passwords.ts';

export const benchSecret = 'benchmark-secret-that-is-long-enough-0123456789';
export const benchPassword = 'benchmark password 1';

/** An HS256 access token exactly as @fastify/jwt signs them, for a session of its own. */
export function accessToken(userId: string, ttlSeconds = 3_600): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: userId, sid: randomUUID(), iat: now, exp: now + ttlSeconds })}`;
  return `${body}.${createHmac('sha256', benchSecret).update(body).digest('base64url')}`;
}

export async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(databaseUrl);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `count` users sharing one password; returns their ids. */
export async function seedUsers(databaseUrl: string, count: number, prefix: string): Promise<string[]> {
  return withClient(databaseUrl, async (client) => {
    const hash = await hashPassword(benchPassword);
    const { rows } = await client.query<{ id: string }>(
      `insert into users (email, password_hash) select $1 || g || '@bench.test', $2 from generate_series(1, $3) g returning id`,
      [prefix, hash, count],
    );
    // Each with the personal list a signup makes.
    await client.query(
      `with made as (insert into lists (owner_id, name, personal) select id, 'My tasks', true from unnest($1::uuid[]) as u(id) returning id, owner_id)
       insert into list_members (list_id, user_id, role) select id, owner_id, 'owner' from made`,
      [rows.map((row) => row.id)],
    );
    return rows.map((row) => row.id);
  });
}

export async function seedTasks(databaseUrl: string, userId: string, count: number): Promise<void> {
  return withClient(databaseUrl, async (client) => {
    await client.query(
      `insert into tasks (list_id, number, title, priority, due_date, created_by_id, updated_by_id)
       select l.id, g, 'Benchmark task ' || g, (array['low','medium','high','urgent'])[1 + g % 4], now() + (g || ' hours')::interval, $1, $1
         from lists l, generate_series(1, $2) g where l.owner_id = $1 and l.personal`,
      [userId, count],
    );
    await client.query('update lists set task_seq = $2 where owner_id = $1 and personal', [userId, count]);
  });
}

/** A conversation of `count` alternating messages; returns its id. */
export async function seedConversation(databaseUrl: string, userId: string, count: number): Promise<string> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ id: string }>(`insert into conversations (user_id, title) values ($1, 'history ' || $2) returning id`, [
      userId,
      count,
    ]);
    const conversationId = rows[0]!.id;
    await client.query(
      `insert into messages (conversation_id, user_id, role, content, status, created_at)
       select $1, $2, case when g % 2 = 1 then 'user' else 'assistant' end, 'Message number ' || g || ' of the history', 'complete',
              now() - interval '1 day' + (g || ' milliseconds')::interval
       from generate_series(1, $3) g`,
      [conversationId, userId, count],
    );
    // Statistics as autovacuum would have them a minute later: the bench measures a settled database.
    await client.query('analyze messages');
    return conversationId;
  });
}
