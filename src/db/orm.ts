// Opens the ORM on a database, brings its schema up to date and recovers from a crash.
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ormOptions } from './orm.config.ts';

/** Any number; the same for every instance, so that they take turns at migrating. */
const migrationLockKey = 0x7461736b;

/** Runs pending migrations while holding an advisory lock: instances starting together migrate one at a time. */
async function migrate(orm: MikroORM, url: string): Promise<void> {
  const lock = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [migrationLockKey]);
    await orm.migrator.up();
  } finally {
    await lock.end();
  }
}

export type Orm = MikroORM;

export interface OpenOrmOptions {
  poolMax?: number;
  /** Run pending migrations (the server does; a test that shares a migrated database may not). */
  migrate?: boolean;
}

export async function openOrm(url: string, options: OpenOrmOptions = {}): Promise<Orm> {
  const orm = await MikroORM.init(ormOptions(url, { poolMax: options.poolMax }));
  try {
    await orm.connect();
    if (options.migrate ?? true) await migrate(orm, url);
    return orm;
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}
