// The lists phase: what a connection costs a user in many lists (its socket joins a room per list at
// the handshake), against a user with the personal list alone.
import { io } from 'socket.io-client';
import type { Child } from './processes.ts';
import { accessToken, seedUsers, withClient } from './seed.ts';
import { percentile, round } from './stats.ts';

export interface ListJoinsReport {
  lists: number;
  connect_p50_ms: number;
  connect_p99_ms: number;
  one_list_connect_p50_ms: number;
  one_list_connect_p99_ms: number;
}

/** Handshake to `connect`, `count` times in a row (after five uncounted), in ms. */
async function connectTimes(url: string, token: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count + 5; i++) {
    const at = performance.now();
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    if (i >= 5) times.push(performance.now() - at);
    socket.close();
  }
  return times;
}

export async function measureListJoins(databaseUrl: string, start: () => Promise<Child>, stop: (child: Child) => Promise<void>): Promise<ListJoinsReport> {
  const lists = 200;
  const [many, one, owner] = await seedUsers(databaseUrl, 3, 'lists');
  // 199 lists of another user's that the user is a member of, besides the personal one.
  await withClient(databaseUrl, (client) =>
    client.query(
      `with made as (insert into lists (owner_id, name) select $2, 'Shared ' || g from generate_series(1, $3) g returning id)
       insert into list_members (list_id, user_id, role) select id, $2, 'owner' from made union all select id, $1, 'editor' from made`,
      [many, owner, lists - 1],
    ),
  );
  const app = await start();
  try {
    const manyTimes = await connectTimes(app.url, accessToken(many!), 100);
    const oneTimes = await connectTimes(app.url, accessToken(one!), 100);
    return {
      lists,
      connect_p50_ms: round(percentile(manyTimes, 50), 2),
      connect_p99_ms: round(percentile(manyTimes, 99), 2),
      one_list_connect_p50_ms: round(percentile(oneTimes, 50), 2),
      one_list_connect_p99_ms: round(percentile(oneTimes, 99), 2),
    };
  } finally {
    await stop(app);
  }
}
