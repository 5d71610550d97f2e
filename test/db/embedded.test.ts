import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase } from '../../src/db/embedded.ts';
import { postgresServing } from '../helpers/postgres-processes.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'taskstream-embedded-'));
  chmodSync(dataDir, 0o755);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts again after a run was killed with SIGKILL, keeping its data', async () => {
    // A first run creates a table, then dies without any chance to stop postgres.
    const script = `
      import { startEmbeddedDatabase } from './src/db/embedded.ts';
      import pg from 'pg';
      const db = await startEmbeddedDatabase({ dataDir: ${JSON.stringify(dataDir)}, ephemeral: true });
      const client = new pg.Client(db.url); await client.connect();
      await client.query('create table kept (v int)'); await client.query('insert into kept values (42)'); await client.end();
      console.log('READY');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('READY') && resolve());
      child.once('exit', (code) => reject(new Error(`first run exited with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(postgresServing(path.join(dataDir, 'pg')).length).toBeGreaterThan(0);
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(true);

    const db = await startEmbeddedDatabase({ dataDir, ephemeral: true });
    try {
      const client = new pg.Client(db.url);
      await client.connect();
      expect((await client.query('select v from kept')).rows).toEqual([{ v: 42 }]);
      await client.end();
    } finally {
      await db.stop();
    }
    expect(postgresServing(path.join(dataDir, 'pg'))).toEqual([]);
  }, 60_000);
});
