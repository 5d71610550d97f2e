// The exports phase: five users export 10,000 tasks each as iCalendar at once; the server's resident
// memory is sampled while they stream and after, against what it held before.
import { type Child, rssKb } from './processes.ts';
import { accessToken, seedTasks, seedUsers } from './seed.ts';
import { round, sleep } from './stats.ts';

export interface ExportsReport {
  users: number;
  tasks_each: number;
  bytes_each: number;
  seconds: number;
  rss_before_mb: number;
  rss_peak_mb: number;
  rss_after_5s_mb: number;
}

export async function measureExports(databaseUrl: string, start: () => Promise<Child>, stop: (child: Child) => Promise<void>): Promise<ExportsReport> {
  const users = await seedUsers(databaseUrl, Number(process.env.BENCH_EXPORT_USERS ?? 5), 'exports');
  const tasksEach = 10_000;
  for (const user of users) await seedTasks(databaseUrl, user, tasksEach);
  const app = await start();
  try {
    await sleep(1_000);
    const before = rssKb(app.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssKb(app.pid))), 20);
    const startedAt = performance.now();
    const sizes = await Promise.all(
      users.map(async (user) => {
        const response = await fetch(`${app.url}/api/tasks/export?format=ics`, { headers: { authorization: `Bearer ${accessToken(user)}` } });
        if (!response.ok) throw new Error(`export answered ${response.status}`);
        return (await response.arrayBuffer()).byteLength;
      }),
    );
    const seconds = (performance.now() - startedAt) / 1000;
    clearInterval(sampler);
    await sleep(5_000);
    const after = rssKb(app.pid);
    const mb = (kb: number) => round(kb / 1024, 0);
    return {
      users: users.length,
      tasks_each: tasksEach,
      bytes_each: Math.round(sizes.reduce((sum, size) => sum + size, 0) / sizes.length),
      seconds: round(seconds, 2),
      rss_before_mb: mb(before),
      rss_peak_mb: mb(peak),
      rss_after_5s_mb: mb(after),
    };
  } finally {
    await stop(app);
  }
}
