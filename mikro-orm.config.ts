// Configuration for the MikroORM CLI (npm run migration:create / migration:up).
// With DATABASE_URL it uses that database; without, the embedded PostgreSQL under DATA_DIR.
import { startEmbeddedDatabase } from './src/db/embedded.ts';
import { ormOptions } from './src/db/orm.config.ts';

export default async () => {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const database = await startEmbeddedDatabase({ dataDir: process.env.DATA_DIR ?? '.data' });
    // The CLI exits without a shutdown hook of ours; stop the cluster with it.
    process.once('exit', () => database.stopNow());
    url = database.url;
  }
  return ormOptions(url, { snapshot: true });
};
