// `npm run bench -- tokens`: a provider faster than the delta window (a token every 2 ms per reply),
// taskstream against bare Socket.IO emitting every token, in interleaved rounds. Counted: the
// server's CPU per provider token (what it was asked to send) and per token received by the
// clients, and each token's time from its emit to its arrival. taskstream joins the tokens of each
// 20 ms window into one delta; bare sends one event per token.
import { ask, type Child, cpuSeconds } from './processes.ts';
import { accessToken, seedUsers } from './seed.ts';
import { closeAll, connectMany, type ClientSocket as Socket } from './sockets.ts';
import { medianRun, percentile, round, sleep } from './stats.ts';

export interface TokensFigures {
  tokens_per_s: number;
  tokens_received_per_s: number;
  cpu_us_per_token: number;
  deltas_per_s: number;
  token_p50_ms: number;
  token_p99_ms: number;
}
export interface TokensReport {
  rooms: number;
  token_interval_ms: number;
  ours: TokensFigures;
  bare: TokensFigures;
  cpu_per_token_ratio: number;
}

export async function measureTokens(
  databaseUrl: string,
  start: (script: string, env: Record<string, string>) => Promise<Child>,
  stop: (child: Child) => Promise<void>,
  settings: { rounds: number; rooms: number; windowSeconds: number },
  progress: (line: string) => void,
): Promise<TokensReport> {
  const intervalMs = 2;
  const tokens = Math.round(((settings.windowSeconds + 4) * 1000) / intervalMs);
  const users = await seedUsers(databaseUrl, settings.rooms, `tokens${Date.now()}`);
  const ours = await start('app.ts', { BENCH_DELTAS: String(tokens), BENCH_INTERVAL_MS: String(intervalMs) });
  const bare = await start('bare-socket.ts', {});
  const oursSockets = await connectMany(ours.url, settings.rooms, (index) => ({ auth: { token: accessToken(users[index]!) } }));
  const bareSockets = await connectMany(bare.url, settings.rooms, (index) => ({ query: { room: String(index) } }));
  try {
    async function measureWindow(child: Child, sockets: Socket[], begin: (socket: Socket) => void): Promise<TokensFigures> {
      let counting = false;
      let received = 0;
      let deltas = 0;
      const latencies: number[] = [];
      const done = new Set<Socket>();
      const onDelta = ({ text }: { text: string }) => {
        if (!counting) return;
        const now = Date.now();
        deltas += 1;
        for (const stamp of text.trim().split(' ')) {
          received += 1;
          latencies.push(now - Number(stamp));
        }
      };
      for (const socket of sockets) {
        socket.on('assistant:delta', onDelta);
        socket.once('assistant:done', () => done.add(socket));
      }
      sockets.forEach(begin);
      await sleep(1_000);
      const emittedBefore = (await ask<{ emitted: number }>(child, 'emitted')).emitted;
      const cpuBefore = cpuSeconds(child.pid);
      const startedAt = Date.now();
      counting = true;
      await sleep(settings.windowSeconds * 1000);
      counting = false;
      const seconds = (Date.now() - startedAt) / 1000;
      const cpu = cpuSeconds(child.pid) - cpuBefore;
      const emitted = (await ask<{ emitted: number }>(child, 'emitted')).emitted - emittedBefore;
      const deadline = Date.now() + 60_000;
      while (done.size < sockets.length && Date.now() < deadline) await sleep(50);
      for (const socket of sockets) socket.off('assistant:delta', onDelta);
      return {
        tokens_per_s: round(emitted / seconds, 0),
        tokens_received_per_s: round(received / seconds, 0),
        cpu_us_per_token: round((cpu * 1e6) / Math.max(emitted, 1), 1),
        deltas_per_s: round(deltas / seconds, 0),
        token_p50_ms: percentile(latencies, 50),
        token_p99_ms: percentile(latencies, 99),
      };
    }
    const rounds: { ours: TokensFigures; bare: TokensFigures }[] = [];
    const side = {
      ours: () =>
        measureWindow(ours, oursSockets, (socket) => socket.emit('message:send', { content: 'stream fast', clientId: crypto.randomUUID() }, () => {})),
      bare: () => measureWindow(bare, bareSockets, (socket) => socket.emit('go', { deltas: tokens, intervalMs }, () => {})),
    };
    progress('tokens: a warm-up round on each side');
    await side.ours();
    await side.bare();
    for (let index = 1; index <= settings.rounds; index++) {
      const oursFirst = index % 2 === 1;
      progress(`tokens round ${index}: ${settings.rooms} rooms, a token every ${intervalMs} ms each, ${oursFirst ? 'taskstream first' : 'bare first'}`);
      const first = await (oursFirst ? side.ours() : side.bare());
      const second = await (oursFirst ? side.bare() : side.ours());
      rounds.push(oursFirst ? { ours: first, bare: second } : { ours: second, bare: first });
    }
    const oursMedian = medianRun(rounds.map((r) => r.ours) as unknown as Record<string, number>[]) as unknown as TokensFigures;
    const bareMedian = medianRun(rounds.map((r) => r.bare) as unknown as Record<string, number>[]) as unknown as TokensFigures;
    const ratios = rounds.map((r) => r.ours.cpu_us_per_token / r.bare.cpu_us_per_token).sort((a, b) => a - b);
    return {
      rooms: settings.rooms,
      token_interval_ms: intervalMs,
      ours: oursMedian,
      bare: bareMedian,
      cpu_per_token_ratio: round(ratios[Math.floor(ratios.length / 2)]!, 2),
    };
  } finally {
    closeAll([...oursSockets, ...bareSockets]);
    await stop(ours);
    await stop(bare);
  }
}
