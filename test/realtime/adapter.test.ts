// The PostgreSQL room adapter's start: `listening` settles once its LISTEN has run (closing earlier would leave
// its pool unable to end), whichever of its pooled connections is handed out first.
import { createServer } from 'node:http';
import pg from 'pg';
import { Server } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { postgresRoomAdapter } from '../../src/realtime/adapter.ts';
import { testDatabaseUrl } from '../helpers/db.ts';

describe('the room adapter', () => {
  it('settles listening when its LISTEN has run, not at the timeout, and then closes with its pool', async () => {
    const url = await testDatabaseUrl();
    // The LISTEN connection and the first heartbeat's race for the pool: either may be handed out
    // first. Several starts make both orders all but certain; the timeout is far beyond the test's.
    for (let start = 0; start < 6; start++) {
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      const adapter = postgresRoomAdapter(pool, () => {}, 600_000);
      const io = new Server(createServer());
      io.adapter(adapter.factory);
      await adapter.listening;
      const { rows } = await pool.query<{ listening: number }>(
        `select count(*)::int as listening from pg_stat_activity where datname = current_database() and query like 'LISTEN %'`,
      );
      expect(rows[0]!.listening).toBe(1);
      await io.close();
      await adapter.close();
    }
  });
});
