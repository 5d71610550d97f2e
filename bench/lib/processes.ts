// Child processes for the benchmark: servers started with tsx, and their CPU time and memory.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface Child {
  process: ChildProcess;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `script` (a .ts file under bench/servers) and waits for it to print `READY <port>`. */
export function startChild(script: string, env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/servers', script)], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /READY (\d+)/.exec(output);
      if (!match) return;
      resolve({
        process: child,
        url: `http://127.0.0.1:${match[1]}`,
        pid: child.pid!,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${output}`)));
  });
}

/** Sends a bench server a message and resolves with its answer. */
export function ask<T>(child: Child, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.process.once('message', (answer) => resolve(answer as T));
    child.process.send(message);
  });
}

const ticksPerSecond = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Resident memory of a process, in KB. */
export function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

/** CPU seconds so far of every process whose name (`comm`) is one of `names`, by pid: PostgreSQL's backends, redis-server. */
export function cpuOfNamed(names: string[]): Map<number, number> {
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) found.set(Number(entry), cpuSeconds(Number(entry)));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** CPU seconds used between two readings of `cpuOfNamed` (processes started since count from zero; those that ended are not counted). */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
