// `npm run bench -- soak`: 1,000 sockets for 10 minutes over two instances — messages sent all the
// time, a few sockets dropping and reconnecting every second, instance A restarted half-way with its
// clients moving to B — then checked in the database: every acked message stored exactly once, no
// reply left `streaming`. Memory and event-loop delay of both instances are sampled every 5 s and
// drawn in bench/results/soak.svg.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { Health } from './health.ts';
import { ask, type Child } from './processes.ts';
import { accessToken, seedUsers, withClient } from './seed.ts';
import { round, sleep } from './stats.ts';

export interface SoakSample extends Health {
  minute: number;
  instance: 'A' | 'B';
}
export interface SoakReport {
  sockets: number;
  minutes: number;
  messages_acked: number;
  messages_stored_of_acked: number;
  duplicates: number;
  replies_by_status: Record<string, number>;
  reconnects: number;
  moved_at_restart: number;
  rss_mb_first_last_quarter: Record<'A' | 'B', [number, number]>;
  lag_p99_ms_first_last_quarter: Record<'A' | 'B', [number, number]>;
  chart: string;
}

interface Client {
  user: string;
  socket?: Socket;
  conversationId?: string;
}

export async function measureSoak(
  databaseUrl: string,
  start: () => Promise<Child>,
  stop: (child: Child) => Promise<void>,
  settings: { sockets: number; minutes: number },
  progress: (line: string) => void,
): Promise<SoakReport> {
  const users = await seedUsers(databaseUrl, settings.sockets, `soak${Date.now()}`);
  const instances: Record<'A' | 'B', Child | undefined> = { A: await start(), B: await start() };
  await sleep(5_000); // the adapters hear of each other
  const live = () => (['A', 'B'] as const).filter((name) => instances[name]);
  const clients: Client[] = users.map((user) => ({ user }));
  const acked = new Map<string, string>(); // clientId → user
  let reconnects = 0;
  let moved = 0;
  let running = true;

  /** Connects a client to an instance (a random live one unless named), joining its conversation again. */
  async function connect(client: Client, to?: 'A' | 'B'): Promise<void> {
    const names = live();
    const name = to ?? names[Math.floor(Math.random() * names.length)]!;
    const socket = io(instances[name]!.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: accessToken(client.user) } });
    await new Promise<void>((resolve) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', () => resolve());
    });
    if (!socket.connected) return;
    client.socket = socket;
    // A socket the server drops (its instance going away) comes back at once, to whichever instance is up.
    socket.on('disconnect', (reason) => {
      if (client.socket !== socket || !running || reason === 'io client disconnect') return;
      client.socket = undefined;
      moved += 1;
      void connect(client);
    });
    if (client.conversationId)
      await socket
        .timeout(10_000)
        .emitWithAck('conversation:join', { conversationId: client.conversationId })
        .catch(() => undefined);
  }

  async function send(client: Client): Promise<void> {
    const socket = client.socket;
    if (!socket?.connected) return;
    const clientId = randomUUID();
    const ack = await socket
      .timeout(10_000)
      .emitWithAck('message:send', {
        content: 'soak: add water the plants tomorrow',
        clientId,
        ...(client.conversationId ? { conversationId: client.conversationId } : {}),
      })
      .catch(() => undefined);
    if (ack?.ok) {
      acked.set(clientId, client.user);
      client.conversationId ??= ack.conversationId;
    }
  }

  progress(`soak: connecting ${settings.sockets} sockets over two instances`);
  for (let index = 0; index < clients.length; index += 100) await Promise.all(clients.slice(index, index + 100).map((client) => connect(client)));

  const samples: SoakSample[] = [];
  const startedAt = Date.now();
  const minute = () => round((Date.now() - startedAt) / 60_000, 2);
  const sampler = setInterval(() => {
    for (const name of live()) {
      const child = instances[name]!;
      void ask<Health>(child, 'health').then((health) => samples.push({ ...health, minute: minute(), instance: name }));
    }
  }, 5_000);
  // Every socket sends a message every 30 s or so (about 33 a second in all); five sockets a second drop and come back.
  const sender = setInterval(() => {
    for (const client of clients) if (Math.random() < 1 / 30) void send(client);
  }, 1_000);
  const churn = setInterval(() => {
    for (let index = 0; index < 5; index++) {
      const client = clients[Math.floor(Math.random() * clients.length)]!;
      const socket = client.socket;
      if (!socket) continue;
      client.socket = undefined;
      socket.close();
      reconnects += 1;
      void connect(client);
    }
  }, 1_000);
  const endAt = startedAt + settings.minutes * 60_000;
  let restarted = false;
  while (Date.now() < endAt) {
    await sleep(5_000);
    progress(`soak: minute ${minute()}, ${acked.size} messages acked, ${reconnects} reconnects, ${moved} moved`);
    if (!restarted && Date.now() > startedAt + (settings.minutes * 60_000) / 2) {
      restarted = true;
      progress('soak: restarting instance A; its clients move to B');
      const old = instances.A!;
      instances.A = undefined;
      await stop(old);
      instances.A = await start();
    }
  }
  running = false;
  clearInterval(sender);
  clearInterval(churn);
  clearInterval(sampler);
  // Replies in flight end; a row of a process that went away would be marked within 10 s.
  await sleep(15_000);
  for (const client of clients) client.socket?.close();
  const report = await withClient(databaseUrl, async (client) => {
    const ids = [...acked.keys()];
    const stored = await client.query<{ stored: number; distinct_ids: number }>(
      `select count(*)::int as stored, count(distinct client_id)::int as distinct_ids from messages where role = 'user' and client_id = any($1::uuid[])`,
      [ids],
    );
    const statuses = await client.query<{ status: string; count: number }>(
      `select status, count(*)::int as count from messages where role = 'assistant' and user_id = any($1::uuid[]) group by status order by status`,
      [users],
    );
    return { stored: stored.rows[0]!, statuses: Object.fromEntries(statuses.rows.map((row) => [row.status, row.count])) };
  });
  for (const name of live()) await stop(instances[name]!);

  const quarters = (instance: 'A' | 'B', key: 'rss_mb' | 'lag_p99_ms'): [number, number] => {
    const mine = samples.filter((sample) => sample.instance === instance);
    const mean = (part: SoakSample[]) => round(part.reduce((sum, sample) => sum + sample[key], 0) / Math.max(part.length, 1), 1);
    return [mean(mine.filter((sample) => sample.minute < settings.minutes / 4)), mean(mine.filter((sample) => sample.minute > (settings.minutes * 3) / 4))];
  };
  const chart = path.resolve(import.meta.dirname, '../results/soak.svg');
  writeFileSync(chart, drawChart(samples, settings.minutes));
  return {
    sockets: settings.sockets,
    minutes: settings.minutes,
    messages_acked: acked.size,
    messages_stored_of_acked: report.stored.distinct_ids,
    duplicates: report.stored.stored - report.stored.distinct_ids,
    replies_by_status: report.statuses,
    reconnects,
    moved_at_restart: moved,
    rss_mb_first_last_quarter: { A: quarters('A', 'rss_mb'), B: quarters('B', 'rss_mb') },
    lag_p99_ms_first_last_quarter: { A: quarters('A', 'lag_p99_ms'), B: quarters('B', 'lag_p99_ms') },
    chart: 'bench/results/soak.svg',
  };
}

/** Two panels, resident memory and event-loop delay p99, one line per instance, minutes across. */
function drawChart(samples: SoakSample[], minutes: number): string {
  const width = 760;
  const panel = 220;
  const left = 60;
  const plotWidth = width - left - 20;
  const colours = { A: '#3856d6', B: '#c2410c' };
  const draw = (key: 'rss_mb' | 'lag_p99_ms', top: number, title: string) => {
    const max = Math.max(1, ...samples.map((sample) => sample[key])) * 1.1;
    const x = (minute: number) => left + (minute / minutes) * plotWidth;
    const y = (value: number) => top + panel - (value / max) * panel;
    const lines = (['A', 'B'] as const).map((instance) => {
      const points = samples
        .filter((sample) => sample.instance === instance)
        .sort((a, b) => a.minute - b.minute)
        .map((sample) => `${x(sample.minute).toFixed(1)},${y(sample[key]).toFixed(1)}`)
        .join(' ');
      return `<polyline fill="none" stroke="${colours[instance]}" stroke-width="1.5" points="${points}"/>`;
    });
    const ticks = Array.from({ length: 5 }, (_, index) => (max / 4) * index).map(
      (value) =>
        `<text x="${left - 6}" y="${y(value) + 4}" text-anchor="end">${Math.round(value)}</text><line x1="${left}" x2="${left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#e3e6ec"/>`,
    );
    const minuteTicks = Array.from(
      { length: minutes + 1 },
      (_, minute) => `<text x="${x(minute)}" y="${top + panel + 16}" text-anchor="middle">${minute}</text>`,
    );
    return `<text x="${left}" y="${top - 10}" font-weight="600">${title}</text>${ticks.join('')}${minuteTicks.join('')}${lines.join('')}`;
  };
  const height = 2 * panel + 140;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="11">
<rect width="100%" height="100%" fill="#fff"/>
${draw('rss_mb', 40, 'Resident memory, MB (A blue, B orange; A restarted half-way)')}
${draw('lag_p99_ms', panel + 110, 'Event-loop delay p99 per 5 s, ms')}
<text x="${left + plotWidth / 2}" y="${height - 8}" text-anchor="middle">minutes</text>
</svg>
`;
}
