// `npm start` as a new user runs it: from a checkout inside a private (0700) directory — as root the
// embedded PostgreSQL runs as the `postgres` user, which cannot enter it — and failures as one line.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../helpers/db.ts';
import { postgresServing } from '../helpers/postgres-processes.ts';
import { failedStart, json, startServerProcess, stopServerProcess } from '../helpers/server-process.ts';

const root = path.resolve(import.meta.dirname, '../..');
const isRoot = process.getuid?.() === 0;
const account = { email: 'private@example.com', password: 'long enough 1' };

/** A checkout of this project inside `dir`: hard links where the file system allows, copies elsewhere. */
function checkoutInto(dir: string): string {
  const checkout = path.join(dir, 'taskstream');
  execFileSync('mkdir', [checkout]);
  const parts = ['package.json', 'tsconfig.json', 'src', 'migrations', 'client-demo', 'node_modules'].map((part) => path.join(root, part));
  try {
    execFileSync('cp', ['-al', ...parts, checkout]);
  } catch {
    execFileSync('cp', ['-a', ...parts, checkout]);
  }
  return checkout;
}

describe('npm start from a checkout in a private directory', () => {
  it('starts, serves and stops cleanly, leaving the directory private and saying where the data lives', async () => {
    const privateDir = mkdtempSync(path.join(tmpdir(), 'taskstream-private-'));
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    let clusterDir: string | undefined;
    try {
      const checkout = checkoutInto(privateDir);
      const server = await startServerProcess({ DATABASE_URL: '', DATA_DIR: '' }, { cwd: checkout });
      try {
        clusterDir = /data in (\S+)\)/.exec(server.output())?.[1];
        expect(clusterDir).toBeDefined();
        // As root the cluster cannot live in the private directory; otherwise it stays in DATA_DIR.
        expect(clusterDir!.startsWith(isRoot ? '/var/lib/taskstream/clusters/' : path.join(checkout, '.data'))).toBe(true);
        const signup = await json(`${server.url}/api/auth/signup`, { method: 'POST', body: JSON.stringify(account) });
        expect(signup.status).toBe(201);
      } finally {
        expect(await stopServerProcess(server, 'SIGTERM')).toBe(0);
      }
      expect(postgresServing(clusterDir!)).toEqual([]);
      expect(statSync(privateDir).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(checkout, '.data', 'pg-password')).mode & 0o777).toBe(0o600);

      // The next start finds the same cluster (and its password) again.
      const again = await startServerProcess({ DATABASE_URL: '', DATA_DIR: '' }, { cwd: checkout });
      try {
        expect(again.output()).toContain(`data in ${clusterDir})`);
        const login = await json(`${again.url}/api/auth/login`, { method: 'POST', body: JSON.stringify(account) });
        expect(login.status).toBe(200);
      } finally {
        await stopServerProcess(again, 'SIGINT');
      }
    } finally {
      rmSync(privateDir, { recursive: true, force: true });
      if (clusterDir?.startsWith('/var/lib/taskstream/clusters/')) rmSync(clusterDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('a start that cannot work', () => {
  const oneLine = (stderr: string) => stderr.trim().split('\n');

  it('says why in one line when DATA_DIR cannot be created', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'taskstream-badstart-'));
    try {
      writeFileSync(path.join(dir, 'a-file'), '');
      const { code, stderr } = await failedStart({ DATABASE_URL: '', DATA_DIR: path.join(dir, 'a-file', 'data') });
      expect(code).toBe(1);
      expect(oneLine(stderr)).toEqual([
        expect.stringMatching(/^taskstream could not start: DATA_DIR .*a-file\/data cannot be created \(ENOTDIR\); set DATA_DIR/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says why in one line when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const dataDir = mkdtempSync(path.join(tmpdir(), 'taskstream-busy-'));
    chmodSync(dataDir, 0o755);
    try {
      const { code, stderr } = await failedStart({ DATABASE_URL: '', DATA_DIR: dataDir }, port);
      expect(code).toBe(1);
      expect(oneLine(stderr)).toEqual([expect.stringMatching(new RegExp(`^taskstream could not start: .*EADDRINUSE.*${port}`))]);
      expect(postgresServing(path.join(dataDir, 'pg'))).toEqual([]);
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the log', () => {
  it('starts with the listen line, keeps requests at debug unless LOG_REQUESTS=on, and names each request', async () => {
    const databaseUrl = await testDatabaseUrl();
    for (const requests of ['off', 'on']) {
      const server = await startServerProcess({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'info', LOG_REQUESTS: requests });
      try {
        await fetch(`${server.url}/health`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Not a terminal: JSON lines, one per entry.
        const lines = server
          .output()
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line));
        expect(lines[0].msg).toMatch(/^taskstream listening on http:\/\/127\.0\.0\.1:\d+ — database: .* — assistant: built-in offline$/);
        const logged = lines.filter((line) => line.msg === 'request');
        if (requests === 'off') expect(logged).toEqual([]);
        else expect(logged).toEqual([expect.objectContaining({ method: 'GET', url: '/health', statusCode: 200, reqId: expect.any(String) })]);
      } finally {
        await stopServerProcess(server);
      }
    }
  }, 60_000);
});
