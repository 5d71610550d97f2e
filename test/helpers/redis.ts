// A redis-server of the test's own (Debian's package), on a free port, for the multi-instance tests
// that run over the Redis Streams adapter. Nothing is kept on disk.
import { spawn } from 'node:child_process';
import { connect as connectTcp } from 'node:net';
import { findFreePort } from '../../src/db/embedded.ts';

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connectTcp(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Starts redis-server; its URL, and how to stop it. */
export async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await findFreePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (server.exitCode !== null || Date.now() > deadline) throw new Error('redis-server did not start (apt-get install redis-server)');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      server.kill('SIGTERM');
      await exited;
    },
  };
}
