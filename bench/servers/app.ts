// taskstream itself for the benchmark, with a zero-latency provider that streams at a fixed rate.
import { buildApp } from '../../src/app.ts';
import type { AssistantProvider, ProviderEvent, ProviderRequest } from '../../src/assistant/provider.ts';
import { loadConfig } from '../../src/config/config.ts';
import { reportTurnStagesOnRequest } from '../lib/turn-stages.ts';
import { profileWindowsOnSignal } from '../lib/window-profile.ts';

/** Streams `deltas` pieces, one every `intervalMs`; each carries its emit time in ms. */
class RatedProvider implements AssistantProvider {
  readonly name = 'rated';
  constructor(
    private readonly deltas: number,
    private readonly intervalMs: number,
  ) {}

  async *stream({ signal }: ProviderRequest): AsyncIterable<ProviderEvent> {
    if (this.intervalMs === 0) {
      for (let i = 0; i < this.deltas; i++) yield { type: 'text', text: `${Date.now()} ` };
      return;
    }
    // One interval per reply (as a model server's token clock), not a timer per delta.
    let ticks = 0;
    let wake: (() => void) | undefined;
    const timer = setInterval(() => {
      ticks += 1;
      wake?.();
    }, this.intervalMs);
    try {
      for (let i = 0; i < this.deltas; i++) {
        while (ticks === 0) {
          signal.throwIfAborted();
          await new Promise<void>((resolve) => (wake = resolve));
        }
        ticks -= 1;
        yield { type: 'text', text: `${Date.now()} ` };
      }
    } finally {
      clearInterval(timer);
    }
  }
}

profileWindowsOnSignal('taskstream');
reportTurnStagesOnRequest();
const config = loadConfig();
const provider = new RatedProvider(Number(process.env.BENCH_DELTAS ?? 3), Number(process.env.BENCH_INTERVAL_MS ?? 0));
const app = await buildApp(config, { provider, poolMax: 20 });
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`READY ${(app.server.address() as { port: number }).port}`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
