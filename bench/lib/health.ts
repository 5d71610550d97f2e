// A bench server's health over IPC (`health`): its resident memory and the event loop's delay since
// the last ask (p99 and max, from perf_hooks' histogram), for the soak's chart.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface Health {
  rss_mb: number;
  heap_mb: number;
  lag_p99_ms: number;
  lag_max_ms: number;
}

export function reportHealthOnRequest(): void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  process.on('message', (request) => {
    if (request !== 'health') return;
    const memory = process.memoryUsage();
    const health: Health = {
      rss_mb: Math.round(memory.rss / 1_048_576),
      heap_mb: Math.round(memory.heapUsed / 1_048_576),
      lag_p99_ms: Math.round(delay.percentile(99) / 1e5) / 10,
      lag_max_ms: Math.round(delay.max / 1e5) / 10,
    };
    delay.reset();
    process.send?.(health);
  });
}
