// MikroORM options shared by the server, the tests and the CLI (mikro-orm.config.ts).
import path from 'node:path';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { entities } from './entities/index.ts';

export const migrationsPath = path.resolve(import.meta.dirname, '../../migrations');

export function ormOptions(clientUrl: string, overrides: { poolMax?: number; debug?: boolean } = {}) {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: overrides.poolMax ?? 20, idleTimeoutMillis: 30_000 },
    // Fail fast instead of hanging when the database is unreachable.
    driverOptions: { connectionTimeoutMillis: 5_000 },
    debug: overrides.debug ?? false,
    migrations: {
      path: migrationsPath,
      pathTs: migrationsPath,
      glob: '!(*.d).{js,ts}',
      snapshotName: '.snapshot',
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      silent: true,
    },
    schemaGenerator: { skipTables: ['socket_io_attachments'] },
  });
}
