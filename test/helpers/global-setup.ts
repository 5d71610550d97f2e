// Starts one throw-away embedded PostgreSQL for the run and migrates a template database;
// each worker clones the template into a database of its own (see db.ts).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../src/db/embedded.ts';
import { openOrm } from '../../src/db/orm.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    templateDatabase: string;
  }
}

export const templateDatabase = 'taskstream_template';

export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'taskstream-test-'));
  chmodSync(dataDir, 0o755);
  let database: EmbeddedDatabase | undefined;
  try {
    database = await startEmbeddedDatabase({ dataDir, ephemeral: true });
    const templateUrl = await database.createDatabase(templateDatabase);
    const orm = await openOrm(templateUrl, { poolMax: 1 });
    await orm.close();
    project.provide('postgresUrl', database.url);
    project.provide('templateDatabase', templateDatabase);
  } catch (error) {
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return async () => {
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
