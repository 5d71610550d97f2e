import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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

  it('has a random superuser password per DATA_DIR, kept in a 0600 file, with SCRAM logins over loopback only', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'taskstream-password-'));
    chmodSync(dir, 0o755);
    const connect = async (url: string) => {
      const client = new pg.Client(url);
      try {
        await client.connect();
        return (await client.query('select 1 as one')).rows[0].one as number;
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    const withPassword = (url: string, password: string) => url.replace(/:\/\/postgres:[^@]*@/, `://postgres:${password}@`);
    try {
      let db = await startEmbeddedDatabase({ dataDir: dir, ephemeral: true });
      const file = path.join(dir, 'pg-password');
      const password = readFileSync(file, 'utf8').trim();
      try {
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(password.length).toBeGreaterThanOrEqual(32);
        expect(db.url).toContain(encodeURIComponent(password));
        expect(await connect(db.url)).toBe(1);
        await expect(connect(withPassword(db.url, 'postgres'))).rejects.toThrow(/password authentication failed/);
        const hba = readFileSync(path.join(db.clusterDir, 'pg_hba.conf'), 'utf8')
          .split('\n')
          .filter((line) => line && !line.startsWith('#'));
        expect(hba).toEqual(['host all all 127.0.0.1/32 scram-sha-256']);
        const settings = new pg.Client(db.url);
        await settings.connect();
        const { rows } = await settings.query("select current_setting('listen_addresses') as listen, current_setting('password_encryption') as encryption");
        await settings.end();
        expect(rows[0]).toEqual({ listen: '127.0.0.1', encryption: 'scram-sha-256' });
        // A cluster from before random passwords (superuser password "postgres", no file) gets one at its next start.
        const legacy = new pg.Client(db.url);
        await legacy.connect();
        await legacy.query("alter role postgres password 'postgres'");
        await legacy.end();
      } finally {
        await db.stop();
      }
      rmSync(file);
      db = await startEmbeddedDatabase({ dataDir: dir, ephemeral: true });
      try {
        const renewed = readFileSync(file, 'utf8').trim();
        expect(renewed).not.toBe(password);
        expect(await connect(db.url)).toBe(1);
        await expect(connect(withPassword(db.url, 'postgres'))).rejects.toThrow(/password authentication failed/);
      } finally {
        await db.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
