// MikroORM options shared by the server, the tests and the CLI (mikro-orm.config.ts).
import path from 'node:path';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { entities } from './entities/index.ts';

export const migrationsPath = path.resolve(import.meta.dirname, '../../migrations');

export function ormOptions(clientUrl: string, overrides: { poolMax?: number; debug?: boolean; snapshot?: boolean } = {}) {
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
      // The snapshot is the CLI's, for migration:create to diff against: a server (or a test) running
      // migrations up and down must not rewrite a tracked file.
      snapshot: overrides.snapshot ?? false,
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      silent: true,
    },
    schemaGenerator: { skipTables: ['socket_io_attachments'] },
  });
}
