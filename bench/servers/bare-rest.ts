// The ceiling for an authenticated database read: bare Fastify, JWT verify, the user's list and one indexed SELECT with pg.
import fastifyJwt from '@fastify/jwt';
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const app = Fastify();
await app.register(fastifyJwt, { secret: process.env.JWT_SECRET!, verify: { algorithms: ['HS256'] } });
app.get('/tasks', async (request) => {
  const { sub } = await request.jwtVerify<{ sub: string }>();
  // The user's list (taskstream reads the lists a user belongs to, then the page: the same two reads here).
  const lists = await pool.query('select list_id from list_members where user_id = $1', [sub]);
  const { rows } = await pool.query('select * from tasks where list_id = $1 order by created_at desc, number desc limit 51', [lists.rows[0].list_id]);
  return { tasks: rows.slice(0, 50), next_cursor: null };
});
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`READY ${(app.server.address() as { port: number }).port}`);
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
