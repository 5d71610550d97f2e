// Per-worker databases cloned from the migrated template.
import pg from 'pg';
import { inject } from 'vitest';

const created = new Map<string, Promise<string>>();

/** A fresh database cloned from the migrated template; `name` defaults to one per worker. */
export function testDatabaseUrl(name = `worker_${process.env.VITEST_POOL_ID ?? '0'}`): Promise<string> {
  let url = created.get(name);
  if (!url) {
    url = (async () => {
      const admin = new pg.Client({ connectionString: inject('postgresUrl') });
      await admin.connect();
      try {
        await admin.query(`drop database if exists "${name}" with (force)`);
        await admin.query(`create database "${name}" template "${inject('templateDatabase')}"`);
      } finally {
        await admin.end();
      }
      const target = new URL(inject('postgresUrl'));
      target.pathname = `/${name}`;
      return target.toString();
    })();
    created.set(name, url);
  }
  return url;
}
