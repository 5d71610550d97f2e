// `npm run bench -- instances`: replies generated on instance A, their deltas delivered to sockets on
// instance B — through PostgreSQL and through Redis — against one instance doing both, in interleaved
// rounds. Counted: deltas delivered per second, the CPU of the whole server side (both instances,
// every PostgreSQL process and redis-server, not the load generator) per delivered delta, and each
// delta's time from its emit on A to its arrival on B.
import { startRedis } from '../../test/helpers/redis.ts';
import { type Child, cpuBetween, cpuOfNamed, cpuSeconds } from './processes.ts';
import { accessToken, seedUsers } from './seed.ts';
import { closeAll, connectMany, type ClientSocket as Socket } from './sockets.ts';
import { medianRun, percentile, round, sleep } from './stats.ts';

export interface InstancesFigures {
  deltas_per_s: number;
  cpu_us_per_delta: number;
  cpu_cores: number;
  delta_p50_ms: number;
  delta_p99_ms: number;
}
export interface InstancesReport {
  conversations: number;
  deltas_per_s_offered: number;
  one_instance: InstancesFigures;
  postgres_across: InstancesFigures;
  redis_across: InstancesFigures;
  cpu_ratio_postgres: number;
  cpu_ratio_redis: number;
}

type Scenario = 'one_instance' | 'postgres_across' | 'redis_across';

export async function measureInstances(
  databaseUrl: string,
  start: (env: Record<string, string>) => Promise<Child>,
  stop: (child: Child) => Promise<void>,
  settings: { rounds: number; conversations: number; deltasPerSecond: number; windowSeconds: number },
  progress: (line: string) => void,
): Promise<InstancesReport> {
  const intervalMs = Math.round(1000 / settings.deltasPerSecond);
  const deltas = settings.deltasPerSecond * (settings.windowSeconds + 6);
  const users = await seedUsers(databaseUrl, settings.conversations, `instances${Date.now()}`);
  const serverEnv = { BENCH_DELTAS: String(deltas), BENCH_INTERVAL_MS: String(intervalMs) };

  async function round_(scenario: Scenario): Promise<InstancesFigures> {
    const redis = scenario === 'redis_across' ? await startRedis() : undefined;
    const env = { ...serverEnv, ...(redis ? { REDIS_URL: redis.url } : {}) };
    const generating = await start(env);
    const delivering = scenario === 'one_instance' ? generating : await start(env);
    const servers = scenario === 'one_instance' ? [generating] : [generating, delivering];
    try {
      // The receiving tabs, on B, each joined to its user's new conversation.
      const conversations = await Promise.all(
        users.map(async (user) => {
          const created = await fetch(`${generating.url}/api/conversations`, {
            method: 'POST',
            headers: { authorization: `Bearer ${accessToken(user)}`, 'content-type': 'application/json' },
            body: '{}',
          });
          return ((await created.json()) as { conversation: { id: string } }).conversation.id;
        }),
      );
      const sockets = await connectMany(delivering.url, users.length, (index) => ({ auth: { token: accessToken(users[index]!) } }));
      await Promise.all(sockets.map((socket, index) => socket.emitWithAck('conversation:join', { conversationId: conversations[index] })));
      // The instances know of each other before anything is measured.
      await sleep(scenario === 'one_instance' ? 500 : 4_500);
      let counting = false;
      let received = 0;
      let latencies: number[] = [];
      const started = new Set<Socket>();
      for (const socket of sockets) {
        socket.on('assistant:delta', ({ text }: { text: string }) => {
          const now = Date.now();
          started.add(socket);
          if (!counting) return;
          for (const stamp of text.trim().split(' ')) {
            received += 1;
            latencies.push(now - Number(stamp));
          }
        });
      }
      // The replies are asked for on A (REST), so they generate there.
      const replies = users.map((user, index) =>
        fetch(`${generating.url}/api/chat`, {
          method: 'POST',
          headers: { authorization: `Bearer ${accessToken(user)}`, 'content-type': 'application/json' },
          body: JSON.stringify({ message: 'stream please', conversation_id: conversations[index] }),
        }).then((res) => res.arrayBuffer()),
      );
      const deadline = Date.now() + 30_000;
      while (started.size < sockets.length && Date.now() < deadline) await sleep(50);
      await sleep(500);
      const names = ['postgres', 'redis-server'];
      const before = new Map([...cpuOfNamed(names), ...servers.map((server) => [server.pid, cpuSeconds(server.pid)] as const)]);
      const windowStart = Date.now();
      received = 0;
      latencies = [];
      counting = true;
      await sleep(settings.windowSeconds * 1000);
      counting = false;
      const after = new Map([...cpuOfNamed(names), ...servers.map((server) => [server.pid, cpuSeconds(server.pid)] as const)]);
      const seconds = (Date.now() - windowStart) / 1000;
      const cpu = cpuBetween(before, after);
      await Promise.all(replies);
      closeAll(sockets);
      return {
        deltas_per_s: round(received / seconds, 0),
        cpu_us_per_delta: round((cpu * 1e6) / Math.max(received, 1), 1),
        cpu_cores: round(cpu / seconds, 2),
        delta_p50_ms: percentile(latencies, 50),
        delta_p99_ms: percentile(latencies, 99),
      };
    } finally {
      for (const server of servers) await stop(server);
      await redis?.stop();
    }
  }

  const results: Record<Scenario, InstancesFigures[]> = { one_instance: [], postgres_across: [], redis_across: [] };
  const order: Scenario[] = ['one_instance', 'postgres_across', 'redis_across'];
  for (let index = 1; index <= settings.rounds; index++) {
    // Each round in another order, so a machine slowing down over the run weighs on every scenario alike.
    const scenarios = index % 2 === 1 ? order : [...order].reverse();
    for (const scenario of scenarios) {
      progress(`instances round ${index}: ${scenario.replace('_', ' ')}, ${settings.conversations} conversations at ${settings.deltasPerSecond} deltas/s`);
      results[scenario].push(await round_(scenario));
    }
  }
  const [one, postgres, redis] = order.map((scenario) => medianRun(results[scenario] as unknown as Record<string, number>[]) as unknown as InstancesFigures);
  return {
    conversations: settings.conversations,
    deltas_per_s_offered: settings.conversations * settings.deltasPerSecond,
    one_instance: one!,
    postgres_across: postgres!,
    redis_across: redis!,
    cpu_ratio_postgres: round(postgres!.cpu_us_per_delta / one!.cpu_us_per_delta, 2),
    cpu_ratio_redis: round(redis!.cpu_us_per_delta / one!.cpu_us_per_delta, 2),
  };
}
