// npm run bench: REST, streaming fan-out, turn latency, memory per socket and history joins,
// each beside the bare framework measured the same way in the same run, and the memory of exports and attachments.
// Writes bench/results/latest.json; `npm run bench -- exports`, `-- lists`, `-- attachments`, `-- reminders`, `-- tokens`, `-- checkpoints`, `-- instances`, `-- bigdata` or `-- soak` runs that phase alone.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startEmbeddedDatabase } from '../src/db/embedded.ts';
import { openOrm } from '../src/db/orm.ts';
import { type AttachmentsReport, measureAttachments } from './lib/attachments.ts';
import { type BigDataReport, measureBigData } from './lib/big-data.ts';
import { type CheckpointsReport, measureCheckpoints } from './lib/checkpoints.ts';
import { type ExportsReport, measureExports } from './lib/exports.ts';
import { type InstancesReport, measureInstances } from './lib/instances.ts';
import { type ListJoinsReport, measureListJoins } from './lib/list-joins.ts';
import { ask, type Child, cpuSeconds, rssKb, startChild } from './lib/processes.ts';
import { measureReminders, type RemindersReport } from './lib/reminders.ts';
import { accessToken, benchPassword, benchSecret, seedConversation, seedTasks, seedUsers } from './lib/seed.ts';
import { measureSoak, type SoakReport } from './lib/soak.ts';
import { type ClientSocket, closeAll, connectMany } from './lib/sockets.ts';
import { compare, medianRun, percentile, ratioFields, round, sleep } from './lib/stats.ts';
import { measureTokens, type TokensReport } from './lib/tokens.ts';
import type { TurnStagesReport } from './lib/turn-stages.ts';
import { toggleWindowProfile } from './lib/window-profile.ts';

const settings = {
  restSeconds: Number(process.env.BENCH_REST_SECONDS ?? 8),
  streamSockets: Number(process.env.BENCH_STREAM_SOCKETS ?? 1000),
  deltasPerSecond: Number(process.env.BENCH_DELTAS_PER_SECOND ?? 50),
  streamWindowSeconds: Number(process.env.BENCH_STREAM_WINDOW ?? 3),
  turnSeconds: Number(process.env.BENCH_TURN_SECONDS ?? 8),
  idleSockets: Number(process.env.BENCH_IDLE_SOCKETS ?? 10_000),
  /** Each comparison runs as interleaved rounds (ours, bare, ours, bare, …) so a noisy moment hits both sides. */
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
};
const rounds = Array.from({ length: settings.rounds }, (_, index) => index + 1);

const progress = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

// ---------- set-up: a database of our own ----------
const dataDir = mkdtempSync(path.join(tmpdir(), 'taskstream-bench-'));
chmodSync(dataDir, 0o755);
progress('starting embedded PostgreSQL');
const database = await startEmbeddedDatabase({ dataDir });
const databaseUrl = await database.createDatabase('bench');
await (await openOrm(databaseUrl, { poolMax: 2 })).close();
const serverEnv = { DATABASE_URL: databaseUrl, JWT_SECRET: benchSecret, RATE_LIMITS: 'off', ASSISTANT: 'offline', NODE_ENV: 'production' };
const children = new Set<Child>();
const start = async (script: string, env: Record<string, string> = {}) => {
  const child = await startChild(script, { ...serverEnv, ...env });
  children.add(child);
  return child;
};
const stop = async (child: Child) => {
  children.delete(child);
  await child.stop();
};

const cleanUp = async () => {
  for (const child of children) await child.stop();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
};
const latestPath = path.resolve(import.meta.dirname, 'results/latest.json');
const printExports = (exports: ExportsReport) =>
  console.log(
    `| Exports: ${exports.users} users × ${exports.tasks_each} tasks as iCalendar at once | ${exports.seconds} s, ${Math.round(exports.bytes_each / 1024)} KB each | RSS ${exports.rss_before_mb} MB before, peak ${exports.rss_peak_mb} MB, ${exports.rss_after_5s_mb} MB 5 s after |`,
  );

const printAttachments = (files: AttachmentsReport) =>
  console.log(
    `| Attachments: ${files.files} files of ${files.mb_each} MB up at once, then down at once | up ${files.upload_seconds} s, down ${files.download_seconds} s | RSS ${files.rss_before_mb} MB before, peak ${files.rss_peak_upload_mb} MB up, ${files.rss_peak_download_mb} MB down, ${files.rss_after_5s_mb} MB 5 s after |`,
  );

const printReminders = (fired: RemindersReport) =>
  console.log(
    `| Reminders: ${fired.reminders} due within one minute, ${fired.instances} instances | last pushed ${fired.seconds_after_last_due} s after the last was due (${fired.seconds_first_due_to_last_pushed} s after the first); received ${fired.received}, distinct ${fired.distinct}, fired ${fired.fired_in_database} | chat first delta p50/p99 ${fired.chat_first_delta_p50_before_ms}/${fired.chat_first_delta_p99_before_ms} ms before, ${fired.chat_first_delta_p50_during_ms}/${fired.chat_first_delta_p99_during_ms} ms during |`,
  );

const printInstances = (report: InstancesReport) => {
  const row = (name: string, figures: InstancesReport['one_instance']) =>
    console.log(
      `| ${name} | ${figures.deltas_per_s} deltas/s delivered | ${figures.cpu_us_per_delta} µs server-side CPU per delta (${figures.cpu_cores} cores) | delta emit→arrival p50/p99 ${figures.delta_p50_ms}/${figures.delta_p99_ms} ms |`,
    );
  row('One instance', report.one_instance);
  row(`A → B through PostgreSQL (${report.cpu_ratio_postgres}× CPU/delta)`, report.postgres_across);
  row(`A → B through Redis (${report.cpu_ratio_redis}× CPU/delta)`, report.redis_across);
};

const printBigData = (report: BigDataReport) => {
  for (const figures of [report.small, report.large])
    console.log(
      `| ${figures.messages} messages, ${figures.tasks} tasks | search p50/p99 ${figures.search_p50_ms}/${figures.search_p99_ms} ms | tasks first page p99 ${figures.list_first_page_p99_ms} ms, deep page p99 ${figures.list_deep_page_p99_ms} ms | join p99 ${figures.join_p99_ms} ms | export +${figures.export_peak_rss_mb_over_idle} MB peak, ${figures.export_seconds} s |`,
    );
  console.log(
    `| ratios 1,000,000 / 10,000 | ${Object.entries(report.ratios)
      .map(([key, ratio]) => `${key} ${ratio}×`)
      .join(', ')} |`,
  );
};

const printSoak = (soak: SoakReport) =>
  console.log(
    `| Soak: ${soak.sockets} sockets, ${soak.minutes} min, A restarted half-way | ${soak.messages_acked} acked, ${soak.messages_stored_of_acked} stored, ${soak.duplicates} twice | replies ${JSON.stringify(soak.replies_by_status)} | ${soak.reconnects} reconnects, ${soak.moved_at_restart} moved | RSS MB first/last quarter A ${soak.rss_mb_first_last_quarter.A.join('/')}, B ${soak.rss_mb_first_last_quarter.B.join('/')}; lag p99 ms A ${soak.lag_p99_ms_first_last_quarter.A.join('/')}, B ${soak.lag_p99_ms_first_last_quarter.B.join('/')} | ${soak.chart} |`,
  );

const printCheckpoints = (report: CheckpointsReport) => {
  for (const [name, figures] of [
    ['to draft, HOT (now)', report.draft_hot],
    ['to content (before)', report.content_previous],
  ] as const)
    console.log(
      `| Checkpoints ${name}: ${report.replies} replies × ${report.seconds_of_streaming} | PostgreSQL ${figures.postgres_cpu_s} CPU s, ${Math.round(figures.hot_share * 100)}% HOT | messages ${figures.messages_mb_streaming} MB streaming, ${figures.messages_mb_after} MB after |`,
    );
};

const printTokens = (report: TokensReport) => {
  for (const [name, figures] of [
    ['taskstream', report.ours],
    ['bare Socket.IO', report.bare],
  ] as const)
    console.log(
      `| Tokens every ${report.token_interval_ms} ms in ${report.rooms} rooms, ${name} | ${figures.tokens_per_s} tokens/s in ${figures.deltas_per_s} deltas/s | ${figures.cpu_us_per_token} µs CPU per token | emit→arrival p50/p99 ${figures.token_p50_ms}/${figures.token_p99_ms} ms |`,
    );
  console.log(`| CPU per provider token, taskstream / bare | ${report.cpu_per_token_ratio}× |`);
};

const printListJoins = (joins: ListJoinsReport) =>
  console.log(
    `| Connect with ${joins.lists} lists (a room each) | p50 ${joins.connect_p50_ms} / p99 ${joins.connect_p99_ms} ms | with one list: p50 ${joins.one_list_connect_p50_ms} / p99 ${joins.one_list_connect_p99_ms} ms |`,
  );

/** The phases that run alone as well (`npm run bench -- <phase>`), their figures merged into latest.json. */
const standalone = {
  exports: async () => {
    progress('exports: five users export 10,000 tasks each as iCalendar at once');
    const exports = await measureExports(databaseUrl, () => start('app.ts'), stop);
    printExports(exports);
    return exports;
  },
  attachments: async () => {
    progress('attachments: ten users upload a 10 MB file each at once, then download them at once');
    const attachments = await measureAttachments(databaseUrl, () => start('app.ts'), stop);
    printAttachments(attachments);
    return attachments;
  },
  reminders: async () => {
    progress('reminders: 100,000 due within one minute over two instances, while 20 users chat');
    const fired = await measureReminders(databaseUrl, () => start('app.ts', { BENCH_DELTAS: '3', BENCH_INTERVAL_MS: '0' }), stop);
    printReminders(fired);
    return fired;
  },
  instances: async () => {
    progress(`instances: replies generated on A, delivered to sockets on B (PostgreSQL, Redis) against one instance`);
    const report = await measureInstances(
      databaseUrl,
      (env) => start('app.ts', env),
      stop,
      {
        rounds: settings.rounds,
        conversations: Number(process.env.BENCH_INSTANCE_CONVERSATIONS ?? 200),
        deltasPerSecond: settings.deltasPerSecond,
        windowSeconds: settings.streamWindowSeconds,
      },
      progress,
    );
    printInstances(report);
    return report;
  },
  bigdata: async () => {
    progress('bigdata: 1,000,000 messages and 100,000 tasks against 10,000 and 1,000');
    const report = await measureBigData(databaseUrl, () => start('app.ts'), stop, progress);
    printBigData(report);
    return report;
  },
  soak: async () => {
    const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
    progress(`soak: 1,000 sockets for ${minutes} minutes over two instances, one restarted half-way`);
    const soak = await measureSoak(
      databaseUrl,
      () => start('app.ts', { BENCH_DELTAS: '20', BENCH_INTERVAL_MS: '50' }),
      stop,
      {
        sockets: Number(process.env.BENCH_SOAK_SOCKETS ?? 1000),
        minutes,
      },
      progress,
    );
    printSoak(soak);
    return soak;
  },
  tokens: async () => {
    progress('tokens: a provider faster than the delta window, taskstream against bare Socket.IO');
    const report = await measureTokens(databaseUrl, start, stop, { rounds: settings.rounds, rooms: 40, windowSeconds: settings.streamWindowSeconds }, progress);
    printTokens(report);
    return report;
  },
  checkpoints: async () => {
    const report = await measureCheckpoints(databaseUrl, progress);
    printCheckpoints(report);
    return report;
  },
  lists: async () => {
    progress('lists: connecting as a user in 200 lists, and in one');
    const listJoins = await measureListJoins(databaseUrl, () => start('app.ts'), stop);
    printListJoins(listJoins);
    return listJoins;
  },
};
const only = process.argv[2] as keyof typeof standalone | undefined;
if (only && only in standalone) {
  try {
    const figures = await standalone[only]();
    const latest = existsSync(latestPath) ? JSON.parse(readFileSync(latestPath, 'utf8')) : {};
    writeFileSync(latestPath, `${JSON.stringify({ ...latest, [only === 'lists' ? 'list_joins' : only]: figures }, null, 2)}\n`);
  } finally {
    await cleanUp();
  }
  process.exit(0);
}

async function cannon(options: autocannon.Options) {
  const result = await autocannon({ connections: 100, duration: settings.restSeconds, ...options });
  return { rps: round(result.requests.average, 0), p50_ms: result.latency.p50, p99_ms: result.latency.p99, errors: result.errors + result.non2xx };
}

try {
  // ---------- 1. REST ----------
  progress('REST: seeding a user with 200 tasks');
  const [listUser, writeUser] = await seedUsers(databaseUrl, 2, 'rest');
  await seedTasks(databaseUrl, listUser!, 200);
  const listToken = accessToken(listUser!);
  const app = await start('app.ts');
  const bare = await start('bare-rest.ts');
  const auth = { authorization: `Bearer ${listToken}` };
  await cannon({ url: `${app.url}/api/tasks?limit=50`, headers: auth, duration: 2 });
  await cannon({ url: `${bare.url}/tasks`, headers: auth, duration: 2 });
  const listRounds: { ours: Awaited<ReturnType<typeof cannon>>; bare: Awaited<ReturnType<typeof cannon>> }[] = [];
  for (const round_ of rounds) {
    progress(`REST round ${round_}: GET /api/tasks (page of 50, JWT), then bare Fastify + pg, the same SELECT`);
    listRounds.push({
      ours: await cannon({ url: `${app.url}/api/tasks?limit=50`, headers: auth }),
      bare: await cannon({ url: `${bare.url}/tasks`, headers: auth }),
    });
  }
  await stop(bare);
  const { ours: list, bare: ceiling, ratio: restRatioOf } = compare(listRounds);
  progress('REST: POST /api/tasks');
  const create = await cannon({
    url: `${app.url}/api/tasks`,
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken(writeUser!)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Benchmark write' }),
  });
  progress('REST: POST /api/auth/login (argon2id)');
  const login = await cannon({
    url: `${app.url}/api/auth/login`,
    method: 'POST',
    connections: 10,
    duration: 5,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'rest1@bench.test', password: benchPassword }),
  });
  await stop(app);

  // ---------- 2. streaming fan-out ----------
  // Both servers stay up with their sockets connected, and each round streams on one and then the
  // other, the order alternating (ours, bare, bare, ours, …): the two sides of a round are measured
  // seconds apart, and a machine slowing down or speeding up over the run weighs on both alike.
  const intervalMs = Math.round(1000 / settings.deltasPerSecond);
  const deltas = settings.deltasPerSecond * (settings.streamWindowSeconds + 6);
  const streamUsers = await seedUsers(databaseUrl, settings.streamSockets, 'stream');
  /** One side of the comparison: its server, its sockets, and how a socket asks for a stream. */
  function streamSide(child: Child, sockets: ClientSocket[], begin: (socket: ClientSocket) => void) {
    let counting = false;
    let received = 0;
    let latencies: number[] = [];
    let streaming: ClientSocket[] = [];
    const started = new Set<ClientSocket>();
    const done = new Set<ClientSocket>();
    for (const socket of sockets) {
      socket.on('assistant:delta', ({ text }: { text: string }) => {
        started.add(socket);
        if (!counting) return;
        const now = Date.now();
        for (const stamp of text.trim().split(' ')) {
          received += 1;
          latencies.push(now - Number(stamp));
        }
      });
      socket.on('assistant:done', () => done.add(socket));
    }
    const until = async (settled: () => boolean) => {
      const deadline = Date.now() + 60_000;
      while (!settled() && Date.now() < deadline) await sleep(50);
    };
    return {
      /** Asks the first `count` sockets for a stream each and waits until every one has received a delta. */
      async start(count = sockets.length) {
        started.clear();
        done.clear();
        streaming = sockets.slice(0, count);
        streaming.forEach(begin);
        await until(() => started.size === streaming.length);
      },
      /** Starts counting; the function returned stops and gives the window's figures. */
      async openWindow() {
        received = 0;
        latencies = [];
        const emittedBefore = (await ask<{ emitted: number }>(child, 'emitted')).emitted;
        const cpuBefore = cpuSeconds(child.pid);
        const windowStart = Date.now();
        counting = true;
        toggleWindowProfile(child.pid);
        return async () => {
          toggleWindowProfile(child.pid);
          counting = false;
          const seconds = (Date.now() - windowStart) / 1000;
          const cpuUsed = cpuSeconds(child.pid) - cpuBefore;
          const emitted = (await ask<{ emitted: number }>(child, 'emitted')).emitted - emittedBefore;
          return {
            deltas_per_s: round(received / seconds, 0),
            cpu_us_per_delta: round((cpuUsed * 1e6) / Math.max(received, 1), 1),
            emitted_per_s: round(emitted / seconds, 0),
            cpu_us_per_emitted: round((cpuUsed * 1e6) / Math.max(emitted, 1), 1),
            p50_ms: percentile(latencies, 50),
            p99_ms: percentile(latencies, 99),
            cpu_cores: round(cpuUsed / seconds, 2),
            started: started.size,
          };
        };
      },
      /** Waits until every stream has ended (before the next round begins). */
      finish: () => until(() => done.size === streaming.length),
    };
  }
  type StreamSide = ReturnType<typeof streamSide>;
  /** Streams on these sides at once (`count` sockets each) and measures one window on all of them. */
  async function measureStreams(sides: StreamSide[], count?: number) {
    await Promise.all(sides.map((side) => side.start(count)));
    await sleep(500);
    const windows = await Promise.all(sides.map((side) => side.openWindow()));
    await sleep(settings.streamWindowSeconds * 1000);
    const figures = await Promise.all(windows.map((close) => close()));
    await Promise.all(sides.map((side) => side.finish()));
    return figures;
  }
  progress(`streaming: taskstream and bare Socket.IO, ${settings.streamSockets} sockets each`);
  const streamApp = await start('app.ts', { BENCH_DELTAS: String(deltas), BENCH_INTERVAL_MS: String(intervalMs) });
  const bareSocket = await start('bare-socket.ts');
  const oursSockets = await connectMany(streamApp.url, settings.streamSockets, (i) => ({ auth: { token: accessToken(streamUsers[i]!) } }));
  const bareSockets = await connectMany(bareSocket.url, settings.streamSockets, (i) => ({ query: { room: String(i) } }));
  const oursSide = streamSide(streamApp, oursSockets, (socket) =>
    socket.emit('message:send', { content: 'stream please', clientId: crypto.randomUUID() }, () => {}),
  );
  const bareSide = streamSide(bareSocket, bareSockets, (socket) => socket.emit('go', { deltas, intervalMs }, () => {}));
  // A round on each side first, not counted: both servers' code optimised and heaps grown, as in a server that has been up a while.
  progress('streaming: a warm-up round on each side');
  await measureStreams([oursSide]);
  await measureStreams([bareSide]);
  type StreamFigures = Awaited<ReturnType<typeof measureStreams>>[number];
  const streamRounds: { ours: StreamFigures; bare: StreamFigures }[] = [];
  for (const round_ of rounds) {
    const oursFirst = round_ % 2 === 1;
    progress(
      `streaming round ${round_}: ${oursFirst ? 'taskstream, then bare Socket.IO' : 'bare Socket.IO, then taskstream'}, ${settings.deltasPerSecond} deltas/s a room`,
    );
    const [first] = await measureStreams([oursFirst ? oursSide : bareSide]);
    const [second] = await measureStreams([oursFirst ? bareSide : oursSide]);
    streamRounds.push(oursFirst ? { ours: first!, bare: second! } : { ours: second!, bare: first! });
  }
  // The same comparison with both servers streaming in the same seconds (half the rooms each, the
  // same offered load in all): whatever the machine's speed at that moment, both sides meet it.
  const sideBySideSockets = Math.floor(settings.streamSockets / 2);
  const sideBySideRounds: { ours: StreamFigures; bare: StreamFigures }[] = [];
  for (const round_ of rounds) {
    progress(`streaming side by side, round ${round_}: ${sideBySideSockets} rooms on each server at once`);
    const [oursFigures, bareFigures] = await measureStreams([oursSide, bareSide], sideBySideSockets);
    sideBySideRounds.push({ ours: oursFigures!, bare: bareFigures! });
  }
  closeAll([...oursSockets, ...bareSockets]);
  await stop(streamApp);
  await stop(bareSocket);
  const alternating = compare(streamRounds);
  const { ours, bare: bareStream } = alternating;
  const deltaRatio = alternating.ratio('deltas_per_s');
  const cpuRatio = alternating.ratio('cpu_us_per_delta');
  const cpuEmittedRatio = alternating.ratio('cpu_us_per_emitted');
  const sideBySide = compare(sideBySideRounds);
  const sideBySideCpuRatio = sideBySide.ratio('cpu_us_per_delta');
  const sideBySideDeltaRatio = sideBySide.ratio('deltas_per_s');
  const restRatio = restRatioOf('rps');
  const restP99Ratio = restRatioOf('p99_ms');

  // ---------- 3. turn latency ----------
  progress('turn latency: 100 users sending 100 messages/s in all');
  const turnUsers = await seedUsers(databaseUrl, 100, 'turn');
  const turnApp = await start('app.ts', { BENCH_DELTAS: '3', BENCH_INTERVAL_MS: '0' });
  const sockets = await connectMany(turnApp.url, 100, (i) => ({ auth: { token: accessToken(turnUsers[i]!) } }));
  const conversations = await Promise.all(
    sockets.map(async (socket) => (await socket.emitWithAck('message:send', { content: 'hello', clientId: crypto.randomUUID() })).conversationId as string),
  );
  await sleep(500);
  let ackLatencies: number[] = [];
  let firstDeltaLatencies: number[] = [];
  const sentAt = new Map<ClientSocket, number>();
  const turnRounds: { messages: number; ack_p50_ms: number; ack_p99_ms: number; first_delta_p50_ms: number; first_delta_p99_ms: number }[] = [];
  const stageRounds: TurnStagesReport[] = [];
  for (const socket of sockets) {
    socket.on('assistant:delta', ({ seq }: { seq: number }) => {
      const at = sentAt.get(socket);
      if (seq === 0 && at !== undefined) {
        firstDeltaLatencies.push(Date.now() - at);
        sentAt.delete(socket);
      }
    });
  }
  for (const round_ of rounds) {
    progress(`turn latency round ${round_}`);
    ackLatencies = [];
    firstDeltaLatencies = [];
    turnApp.process.send('reset');
    const turnEnd = Date.now() + settings.turnSeconds * 1000;
    for (let i = 0; Date.now() < turnEnd; i++) {
      const index = i % sockets.length;
      const socket = sockets[index]!;
      const at = Date.now();
      sentAt.set(socket, at);
      void socket
        .emitWithAck('message:send', { conversationId: conversations[index], content: 'next one', clientId: crypto.randomUUID() })
        .then(() => ackLatencies.push(Date.now() - at));
      await sleep(Math.max(0, at + 10 - Date.now()));
    }
    await sleep(1_000);
    stageRounds.push(await ask<TurnStagesReport>(turnApp, 'report'));
    turnRounds.push({
      messages: ackLatencies.length,
      ack_p50_ms: percentile(ackLatencies, 50),
      ack_p99_ms: percentile(ackLatencies, 99),
      first_delta_p50_ms: percentile(firstDeltaLatencies, 50),
      first_delta_p99_ms: percentile(firstDeltaLatencies, 99),
    });
  }
  const turn = medianRun(turnRounds);
  const turnStages = Object.fromEntries(Object.keys(stageRounds[0]?.stages ?? {}).map((stage) => [stage, medianRun(stageRounds.map((r) => r.stages[stage]!))]));
  const turnGc = medianRun(stageRounds.map((r) => r.gc));
  closeAll(sockets);
  progress('turn latency: POST /api/chat at 100 requests/s');
  const chatHttp = await cannon({
    url: `${turnApp.url}/api/chat`,
    method: 'POST',
    connections: 20,
    overallRate: 100,
    duration: settings.turnSeconds,
    headers: { authorization: `Bearer ${accessToken(turnUsers[0]!)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'hello there' }),
  });
  await stop(turnApp);

  // ---------- 4. memory per idle socket ----------
  async function measureIdle(child: Child, connect: () => Promise<ClientSocket[]>) {
    await sleep(1_000);
    const before = rssKb(child.pid);
    const idle = await connect();
    await sleep(3_000);
    const after = rssKb(child.pid);
    closeAll(idle);
    return round((after - before) / settings.idleSockets, 1);
  }
  progress(`memory: ${settings.idleSockets} idle authenticated sockets on taskstream`);
  const memoryApp = await start('app.ts');
  const kbPerSocket = await measureIdle(memoryApp, () =>
    connectMany(memoryApp.url, settings.idleSockets, (i) => ({ auth: { token: accessToken(streamUsers[i % streamUsers.length]!) } })),
  );
  await stop(memoryApp);
  progress(`memory: ${settings.idleSockets} idle sockets on bare Socket.IO`);
  const bareMemory = await start('bare-socket.ts');
  const bareKbPerSocket = await measureIdle(bareMemory, () => connectMany(bareMemory.url, settings.idleSockets, (i) => ({ query: { room: String(i) } })));
  await stop(bareMemory);

  // ---------- 5. history ----------
  progress('history: conversation:join with 100 and 10,000 messages');
  const [historyUser] = await seedUsers(databaseUrl, 1, 'history');
  const short = await seedConversation(databaseUrl, historyUser!, 100);
  const long = await seedConversation(databaseUrl, historyUser!, 10_000);
  const historyApp = await start('app.ts');
  const [joiner] = await connectMany(historyApp.url, 1, () => ({ auth: { token: accessToken(historyUser!) } }));
  const timeJoins = async (conversationId: string) => {
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const at = performance.now();
      await joiner!.emitWithAck('conversation:join', { conversationId });
      if (i >= 10) times.push(performance.now() - at);
    }
    return round(percentile(times, 50), 2);
  };
  const join100 = await timeJoins(short);
  const join10000 = await timeJoins(long);
  joiner!.close();
  await stop(historyApp);

  // ---------- 6. exports, lists, attachments, reminders, instances, big data, soak ----------
  const exports = await standalone.exports();
  const listJoins = await standalone.lists();
  const attachments = await standalone.attachments();
  const reminders = await standalone.reminders();
  const tokens = await standalone.tokens();
  const checkpoints = await standalone.checkpoints();
  const instances = await standalone.instances();
  const bigdata = await standalone.bigdata();
  const soak = await standalone.soak();

  // ---------- results ----------
  const results = {
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memory_gb: round(totalmem() / 2 ** 30, 0),
      node: process.version,
      date: new Date().toISOString(),
    },
    rest: {
      list: {
        rps: list.rps,
        p50_ms: list.p50_ms,
        p99_ms: list.p99_ms,
        ceiling_rps: ceiling.rps,
        ceiling_p50_ms: ceiling.p50_ms,
        ceiling_p99_ms: ceiling.p99_ms,
        ...ratioFields('ratio', restRatio),
        ...ratioFields('p99_ratio', restP99Ratio),
        errors: list.errors,
        rounds: listRounds,
      },
      create: create,
      login: login,
    },
    streaming: {
      sockets: settings.streamSockets,
      offered_deltas_per_s: settings.streamSockets * settings.deltasPerSecond,
      deltas_per_s: ours.deltas_per_s,
      p50_added_ms: ours.p50_ms,
      p99_added_ms: ours.p99_ms,
      cpu_cores: ours.cpu_cores,
      bare_deltas_per_s: bareStream.deltas_per_s,
      bare_p50_ms: bareStream.p50_ms,
      bare_p99_ms: bareStream.p99_ms,
      bare_cpu_cores: bareStream.cpu_cores,
      cpu_us_per_delta: ours.cpu_us_per_delta,
      bare_cpu_us_per_delta: bareStream.cpu_us_per_delta,
      ...ratioFields('ratio', deltaRatio),
      ...ratioFields('cpu_per_delta_ratio', cpuRatio),
      emitted_per_s: ours.emitted_per_s,
      bare_emitted_per_s: bareStream.emitted_per_s,
      cpu_us_per_emitted: ours.cpu_us_per_emitted,
      bare_cpu_us_per_emitted: bareStream.cpu_us_per_emitted,
      ...ratioFields('cpu_per_emitted_ratio', cpuEmittedRatio),
      rounds: streamRounds,
      side_by_side: {
        sockets_each: sideBySideSockets,
        cpu_us_per_delta: sideBySide.ours.cpu_us_per_delta,
        bare_cpu_us_per_delta: sideBySide.bare.cpu_us_per_delta,
        ...ratioFields('cpu_per_delta_ratio', sideBySideCpuRatio),
        ...ratioFields('ratio', sideBySideDeltaRatio),
        rounds: sideBySideRounds,
      },
    },
    turn: {
      ...turn,
      rounds: turnRounds,
      stages: turnStages,
      gc: turnGc,
      stage_rounds: stageRounds,
      http_chat_p50_ms: chatHttp.p50_ms,
      http_chat_p99_ms: chatHttp.p99_ms,
    },
    memory: { sockets: settings.idleSockets, kb_per_socket: kbPerSocket, bare_kb_per_socket: bareKbPerSocket },
    history: { join_ms_100: join100, join_ms_10000: join10000 },
    exports,
    list_joins: listJoins,
    attachments,
    reminders,
    tokens,
    checkpoints,
    instances,
    bigdata,
    soak,
  };
  mkdirSync(path.resolve(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(latestPath, `${JSON.stringify(results, null, 2)}\n`);
  const rows: [string, string, string][] = [
    [
      'REST GET /api/tasks (50 of 200)',
      `${list.rps} req/s, p50 ${list.p50_ms} ms, p99 ${list.p99_ms} ms`,
      `bare Fastify+pg: ${ceiling.rps} req/s, p99 ${ceiling.p99_ms} ms (ratio ${restRatio.median}, rounds ${restRatio.min}–${restRatio.max}; p99 ratio ${restP99Ratio.median})`,
    ],
    ['REST POST /api/tasks', `${create.rps} req/s, p50 ${create.p50_ms} ms, p99 ${create.p99_ms} ms`, ''],
    ['REST POST /api/auth/login', `${login.rps} req/s, p99 ${login.p99_ms} ms`, 'argon2id, 10 connections'],
    [
      `Streaming ${settings.streamSockets} rooms × ${settings.deltasPerSecond}/s`,
      `${ours.deltas_per_s} deltas/s, added p50 ${ours.p50_ms} / p99 ${ours.p99_ms} ms, ${ours.cpu_us_per_delta} µs CPU/delta`,
      `bare: ${bareStream.deltas_per_s} deltas/s, p99 ${bareStream.p99_ms} ms, ${bareStream.cpu_us_per_delta} µs CPU/delta (ratio ${deltaRatio.median}, rounds ${deltaRatio.min}–${deltaRatio.max}; CPU/delta ${cpuRatio.median}×, rounds ${cpuRatio.min}–${cpuRatio.max})`,
    ],
    [
      `Streaming, per delta the server emitted`,
      `${ours.emitted_per_s} emitted/s, ${ours.cpu_us_per_emitted} µs CPU/emitted delta`,
      `bare: ${bareStream.emitted_per_s} emitted/s, ${bareStream.cpu_us_per_emitted} µs (CPU/emitted ${cpuEmittedRatio.median}×, rounds ${cpuEmittedRatio.min}–${cpuEmittedRatio.max})`,
    ],
    [
      `Streaming side by side, ${sideBySideSockets} + ${sideBySideSockets} rooms at once`,
      `${sideBySide.ours.deltas_per_s} deltas/s, ${sideBySide.ours.cpu_us_per_delta} µs CPU/delta`,
      `bare: ${sideBySide.bare.deltas_per_s} deltas/s, ${sideBySide.bare.cpu_us_per_delta} µs CPU/delta (ratio ${sideBySideDeltaRatio.median}, rounds ${sideBySideDeltaRatio.min}–${sideBySideDeltaRatio.max}; CPU/delta ${sideBySideCpuRatio.median}×, rounds ${sideBySideCpuRatio.min}–${sideBySideCpuRatio.max})`,
    ],
    [
      'Turn (socket, 100 msg/s)',
      `ack p50 ${turn.ack_p50_ms} / p99 ${turn.ack_p99_ms} ms; first delta p50 ${turn.first_delta_p50_ms} / p99 ${turn.first_delta_p99_ms} ms`,
      `median of ${settings.rounds} rounds (first delta p99 per round: ${turnRounds.map((r) => r.first_delta_p99_ms).join(', ')} ms)`,
    ],
    ['Turn (POST /api/chat, 100/s)', `p50 ${chatHttp.p50_ms} / p99 ${chatHttp.p99_ms} ms`, ''],
    [`Memory, ${settings.idleSockets} idle sockets`, `${kbPerSocket} KB/socket`, `bare: ${bareKbPerSocket} KB/socket`],
    ['conversation:join p50', `100 msgs: ${join100} ms; 10,000 msgs: ${join10000} ms`, ''],
  ];
  console.log('\n| measure | taskstream | beside it |\n| --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log('\n| turn stage (median of rounds) | p50 ms | p99 ms | mean in the slowest 1% |\n| --- | --- | --- | --- |');
  for (const [stage, figures] of Object.entries(turnStages)) console.log(`| ${stage} | ${figures.p50_ms} | ${figures.p99_ms} | ${figures.tail_mean_ms} |`);
  console.log(`GC during the turn rounds: ${turnGc.pauses} pauses, ${turnGc.total_ms} ms in all, p99 ${turnGc.p99_ms} ms, longest ${turnGc.max_ms} ms`);
  console.log('\nwrote bench/results/latest.json');
} finally {
  await cleanUp();
}
process.exit(0);
