import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm, type Orm } from '../../src/db/orm.ts';
import { testDatabaseUrl } from '../helpers/db.ts';

describe('schema', () => {
  let orm: Orm;
  beforeAll(async () => {
    orm = await openOrm(await testDatabaseUrl('schema_check'), { poolMax: 2 });
  });
  afterAll(() => orm.close());

  it('has no pending migration and no difference between entities and migrations', async () => {
    expect(await orm.migrator.getPending()).toEqual([]);
    expect((await orm.schema.getUpdateSchemaSQL()).trim()).toBe('');
  });

  it('enforces the enum, title and completion constraints in the database itself', async () => {
    const em = orm.em.fork();
    const [user] = await em.execute(`insert into users (email, password_hash) values ('c@example.com', 'x') returning id`);
    const insert = (columns: string) => em.execute(`insert into tasks (user_id, number, title, status, completed_at) values ('${user.id}', ${columns})`);
    await expect(insert(`1, 'ok', 'pending', null`)).resolves.toBeDefined();
    await expect(insert(`2, '   ', 'pending', null`)).rejects.toThrow(/tasks_title_check/);
    await expect(insert(`3, 'ok', 'someday', null`)).rejects.toThrow(/tasks_status_check/);
    await expect(insert(`4, 'ok', 'completed', null`)).rejects.toThrow(/tasks_completed_at_check/);
    await expect(insert(`1, 'again', 'pending', null`)).rejects.toThrow(/tasks_user_id_number_unique/);
    await expect(em.execute(`insert into messages (conversation_id, user_id, role) values (gen_random_uuid(), '${user.id}', 'system')`)).rejects.toThrow(/messages_role_check|foreign key/);
  });

  it('cascades a user delete to everything the user owns', async () => {
    const em = orm.em.fork();
    const [user] = await em.execute(`insert into users (email, password_hash) values ('d@example.com', 'x') returning id`);
    await em.execute(`insert into tasks (user_id, number, title) values ('${user.id}', 1, 'a')`);
    const [conversation] = await em.execute(`insert into conversations (user_id, title) values ('${user.id}', 't') returning id`);
    await em.execute(`insert into messages (conversation_id, user_id, role) values ('${conversation.id}', '${user.id}', 'user')`);
    await em.execute(`delete from users where id = '${user.id}'`);
    const [counts] = await em.execute(
      `select (select count(*) from tasks where user_id = '${user.id}')::int as tasks, (select count(*) from messages where user_id = '${user.id}')::int as messages`,
    );
    expect(counts).toEqual({ tasks: 0, messages: 0 });
  });
});
