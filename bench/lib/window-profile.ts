// A CPU profile of a measured window only: with BENCH_CPU_PROFILE=<dir>, a bench server starts the
// V8 profiler on the first SIGUSR2 and writes <dir>/<name>-<pid>-<n>.cpuprofile on the next.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

export function profileWindowsOnSignal(name: string): void {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return;
  const session = new Session();
  session.connect();
  let running = false;
  let count = 0;
  process.on('SIGUSR2', () => {
    void (async () => {
      if (!running) {
        running = true;
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        return;
      }
      running = false;
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(path.join(path.resolve(dir), `${name}-${process.pid}-${++count}.cpuprofile`), JSON.stringify(profile));
    })();
  });
}

/** Starts or stops a bench server's window profile (a no-op without BENCH_CPU_PROFILE). */
export function toggleWindowProfile(pid: number): void {
  if (process.env.BENCH_CPU_PROFILE) process.kill(pid, 'SIGUSR2');
}
