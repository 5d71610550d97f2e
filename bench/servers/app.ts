// taskstream itself for the benchmark, with a zero-latency provider that streams at a fixed rate.
import { buildApp } from '../../src/app.ts';
import type { AssistantProvider, ProviderRequest, ProviderToolCall } from '../../src/assistant/provider.ts';
import { loadConfig } from '../../src/config/config.ts';
import { countEmitted, reportEmittedOnRequest } from '../lib/emitted.ts';
import { reportHealthOnRequest } from '../lib/health.ts';
import { reportTurnStagesOnRequest } from '../lib/turn-stages.ts';
import { profileWindowsOnSignal } from '../lib/window-profile.ts';

/** Streams `deltas` pieces, one every `intervalMs`; each carries its emit time in ms. */
class RatedProvider implements AssistantProvider {
  readonly name = 'rated';
  constructor(
    private readonly deltas: number,
    private readonly intervalMs: number,
  ) {}

  async stream({ signal }: ProviderRequest, onText: (text: string) => void): Promise<ProviderToolCall[]> {
    if (this.intervalMs === 0) {
      for (let i = 0; i < this.deltas; i++) onText(`${Date.now()} `);
      return [];
    }
    // One interval per reply (as a model server's token clock), not a timer per delta.
    await new Promise<void>((resolve, reject) => {
      let sent = 0;
      const stop = () => {
        clearInterval(timer);
        reject(signal.reason);
      };
      const timer = setInterval(() => {
        onText(`${Date.now()} `);
        countEmitted();
        if (++sent < this.deltas) return;
        clearInterval(timer);
        signal.removeEventListener('abort', stop);
        resolve();
      }, this.intervalMs);
      signal.addEventListener('abort', stop, { once: true });
    });
    return [];
  }
}

profileWindowsOnSignal('taskstream');
reportTurnStagesOnRequest();
reportEmittedOnRequest();
reportHealthOnRequest();
const config = loadConfig();
const provider = new RatedProvider(Number(process.env.BENCH_DELTAS ?? 3), Number(process.env.BENCH_INTERVAL_MS ?? 0));
const app = await buildApp(config, { provider, poolMax: 20 });
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`READY ${(app.server.address() as { port: number }).port}`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
