// Opens the ORM on a database, brings its schema up to date and recovers from a crash.
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from './orm.config.ts';

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
    if (options.migrate ?? true) await orm.migrator.up();
    return orm;
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}
