// The reminders phase: 100,000 reminders (one per task, 1,000 tasks for each of 100 users) fall due
// within one minute while two instances run; each user's socket (half on either instance) counts
// what reaches it. Meanwhile 20 other users chat on instance A at 10 messages/s, and the time from a
// send to its first delta is measured before the minute and during the firing.
import { io, type Socket } from 'socket.io-client';
import { type Child, cpuSeconds } from './processes.ts';
import { accessToken, seedTasks, seedUsers, withClient } from './seed.ts';
import { percentile, round, sleep } from './stats.ts';

export interface RemindersReport {
  reminders: number;
  instances: number;
  /** From the last reminder's moment to its arrival at its socket. */
  seconds_after_last_due: number;
  /** From the first reminder's moment to the arrival of the last one. */
  seconds_first_due_to_last_pushed: number;
  received: number;
  distinct: number;
  fired_in_database: number;
  chat_first_delta_p50_before_ms: number;
  chat_first_delta_p99_before_ms: number;
  chat_first_delta_p50_during_ms: number;
  chat_first_delta_p99_during_ms: number;
  cpu_seconds_instances: number;
}

const connect = (url: string, userId: string) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000, auth: { token: accessToken(userId) } });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });

export async function measureReminders(databaseUrl: string, start: () => Promise<Child>, stop: (child: Child) => Promise<void>): Promise<RemindersReport> {
  const users = await seedUsers(databaseUrl, 100, 'reminders');
  const perUser = Number(process.env.BENCH_REMINDERS_PER_USER ?? 1_000);
  for (const user of users) await seedTasks(databaseUrl, user, perUser);
  const chatters = await seedUsers(databaseUrl, 20, 'reminder-chat');
  const [a, b] = [await start(), await start()];
  const sockets: Socket[] = [];
  try {
    // Due within one minute from 20 s on (the instances start claiming 5 s after they start).
    const firstDue = Date.now() + 20_000;
    await withClient(databaseUrl, (client) =>
      client.query(
        `insert into task_reminders (task_id, at, fires_at)
         select t.id, to_timestamp($2::float8 / 1000) + ((t.number % 60) || ' seconds')::interval, to_timestamp($2::float8 / 1000) + ((t.number % 60) || ' seconds')::interval
           from tasks t join lists l on l.id = t.list_id where l.owner_id = any($1::uuid[])`,
        [users, firstDue],
      ),
    );
    const total = users.length * perUser;
    const lastDue = firstDue + 59_000;
    const seen = new Map<string, number>();
    let lastArrival = 0;
    for (const [index, user] of users.entries()) {
      const socket = await connect(index % 2 ? b.url : a.url, user);
      socket.on('task:reminder', ({ reminder }: { reminder: { id: string } }) => {
        seen.set(reminder.id, (seen.get(reminder.id) ?? 0) + 1);
        lastArrival = Date.now();
      });
      sockets.push(socket);
    }
    const chat = await Promise.all(chatters.map((user) => connect(a.url, user)));
    sockets.push(...chat);
    const conversations = await Promise.all(
      chat.map(async (socket) => (await socket.emitWithAck('message:send', { content: 'hello', clientId: crypto.randomUUID() })).conversationId as string),
    );
    const sentAt = new Map<Socket, number>();
    let firstDeltas: number[] = [];
    for (const socket of chat) {
      socket.on('assistant:delta', ({ seq }: { seq: number }) => {
        const at = sentAt.get(socket);
        if (seq === 0 && at !== undefined) {
          firstDeltas.push(Date.now() - at);
          sentAt.delete(socket);
        }
      });
    }
    /** Sends 10 messages/s round the chatters until `until`. */
    const chatUntil = async (until: () => boolean) => {
      for (let i = 0; !until(); i++) {
        const index = i % chat.length;
        const at = Date.now();
        sentAt.set(chat[index]!, at);
        chat[index]!.emit('message:send', { conversationId: conversations[index], content: 'next one', clientId: crypto.randomUUID() }, () => {});
        await sleep(Math.max(0, at + 100 - Date.now()));
      }
    };
    await chatUntil(() => Date.now() > firstDue - 2_000);
    const before = firstDeltas;
    firstDeltas = [];
    const cpuBefore = cpuSeconds(a.pid) + cpuSeconds(b.pid);
    const deadline = lastDue + 180_000;
    await chatUntil(() => seen.size >= total || Date.now() > deadline);
    const cpu = cpuSeconds(a.pid) + cpuSeconds(b.pid) - cpuBefore;
    await sleep(2_000);
    const fired = await withClient(databaseUrl, async (client) => {
      const { rows } = await client.query(
        'select count(*)::int as n from task_reminders r join tasks t on t.id = r.task_id join lists l on l.id = t.list_id where l.owner_id = any($1::uuid[]) and r.fired_at is not null',
        [users],
      );
      return rows[0].n as number;
    });
    return {
      reminders: total,
      instances: 2,
      seconds_after_last_due: round((lastArrival - lastDue) / 1000, 2),
      seconds_first_due_to_last_pushed: round((lastArrival - firstDue) / 1000, 2),
      received: [...seen.values()].reduce((sum, count) => sum + count, 0),
      distinct: seen.size,
      fired_in_database: fired,
      chat_first_delta_p50_before_ms: percentile(before, 50),
      chat_first_delta_p99_before_ms: percentile(before, 99),
      chat_first_delta_p50_during_ms: percentile(firstDeltas, 50),
      chat_first_delta_p99_during_ms: percentile(firstDeltas, 99),
      cpu_seconds_instances: round(cpu, 1),
    };
  } finally {
    for (const socket of sockets) socket.close();
    await stop(a);
    await stop(b);
  }
}
