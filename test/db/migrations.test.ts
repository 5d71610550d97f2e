import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Orm, openOrm } from '../../src/db/orm.ts';
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
    const user = (await em.execute(`insert into users (email, password_hash) values ('c@example.com', 'x') returning id`))[0]!;
    const list = (await em.execute(`insert into lists (owner_id, name) values ('${user.id}', 'l') returning id`))[0]!;
    const insert = (columns: string) => em.execute(`insert into tasks (list_id, number, title, status, completed_at) values ('${list.id}', ${columns})`);
    await expect(insert(`1, 'ok', 'pending', null`)).resolves.toBeDefined();
    await expect(insert(`2, '   ', 'pending', null`)).rejects.toThrow(/tasks_title_check/);
    await expect(insert(`3, 'ok', 'someday', null`)).rejects.toThrow(/tasks_status_check/);
    await expect(insert(`4, 'ok', 'completed', null`)).rejects.toThrow(/tasks_completed_at_check/);
    await expect(insert(`1, 'again', 'pending', null`)).rejects.toThrow(/tasks_list_id_number_unique/);
    await expect(em.execute(`insert into messages (conversation_id, user_id, role) values (gen_random_uuid(), '${user.id}', 'system')`)).rejects.toThrow(
      /messages_role_check|foreign key/,
    );
  });

  it('cascades a user delete to everything the user owns', async () => {
    const em = orm.em.fork();
    const user = (await em.execute(`insert into users (email, password_hash) values ('d@example.com', 'x') returning id`))[0]!;
    const list = (await em.execute(`insert into lists (owner_id, name, personal) values ('${user.id}', 'My tasks', true) returning id`))[0]!;
    await em.execute(`insert into tasks (list_id, number, title) values ('${list.id}', 1, 'a')`);
    const conversation = (await em.execute(`insert into conversations (user_id, title) values ('${user.id}', 't') returning id`))[0]!;
    await em.execute(`insert into messages (conversation_id, user_id, role) values ('${conversation.id}', '${user.id}', 'user')`);
    await em.execute(`delete from users where id = '${user.id}'`);
    const [counts] = await em.execute(
      `select (select count(*) from tasks where list_id = '${list.id}')::int as tasks, (select count(*) from messages where user_id = '${user.id}')::int as messages`,
    );
    expect(counts).toEqual({ tasks: 0, messages: 0 });
  });

  it('migrates an empty database once when several instances start at the same moment', async () => {
    const admin = new pg.Client(inject('postgresUrl'));
    await admin.connect();
    await admin.query('drop database if exists concurrent_start with (force)');
    await admin.query('create database concurrent_start');
    await admin.end();
    const url = new URL(inject('postgresUrl'));
    url.pathname = '/concurrent_start';
    const orms = await Promise.all([1, 2, 3].map(() => openOrm(url.toString(), { poolMax: 2 })));
    try {
      expect(await orms[0]!.migrator.getPending()).toEqual([]);
      const row = (await orms[0]!.em.fork().execute(`select count(*)::int as count from mikro_orm_migrations`))[0]!;
      expect(row.count).toBe((await orms[0]!.migrator.getExecuted()).length);
    } finally {
      await Promise.all(orms.map((orm) => orm.close()));
    }
  });
});

describe('migration to calendar due dates', () => {
  it('turns the UTC midnights of the old schema into calendar dates and leaves times as instants', async () => {
    const orm = await openOrm(await testDatabaseUrl('due_dates_migration'), { poolMax: 2, migrate: false });
    try {
      const em = orm.em.fork();
      await orm.migrator.down({ to: 'Migration20261128205257_personal_access_tokens' });
      const [user] = await em.execute(`insert into users (email, password_hash) values ('m@example.com', 'x') returning id`);
      await em.execute(
        `insert into tasks (user_id, number, title, due_date) values (?, 1, 'day', '2030-05-01T00:00:00Z'), (?, 2, 'time', '2030-05-01T17:00:00Z'), (?, 3, 'none', null)`,
        [user!.id, user!.id, user!.id],
      );
      await orm.migrator.up();
      const rows = await em.execute(`select title, due_on::text as due_on, due_date from tasks order by number`);
      expect(rows.map((row) => [row.title, row.due_on, row.due_date && new Date(row.due_date).toISOString()])).toEqual([
        ['day', '2030-05-01', '2030-05-01T00:00:00.000Z'],
        ['time', null, '2030-05-01T17:00:00.000Z'],
        ['none', null, null],
      ]);
      expect((await em.execute(`select timezone from users`))[0]!.timezone).toBe('UTC');
    } finally {
      await orm.close();
    }
  });
});

describe('migration to shared lists', () => {
  it('gives every user a personal list holding their tasks, numbered on from where they were', async () => {
    const orm = await openOrm(await testDatabaseUrl('shared_lists_migration'), { poolMax: 2, migrate: false });
    try {
      const em = orm.em.fork();
      await orm.migrator.down({ to: 'Migration20261201120000_personal_token_session' });
      const users = await em.execute(
        `insert into users (email, password_hash, task_seq) values ('a@example.com', 'x', 7), ('b@example.com', 'x', 0) returning id`,
      );
      const [ada, bo] = users.map((row) => row.id as string);
      await em.execute(`insert into tasks (user_id, number, title) values (?, 3, 'three'), (?, 7, 'seven')`, [ada, ada]);
      await orm.migrator.up();
      const lists = await em.execute(
        `select l.owner_id, l.name, l.personal, l.task_seq, m.role from lists l join list_members m on m.list_id = l.id and m.user_id = l.owner_id order by l.task_seq desc`,
      );
      expect(lists).toEqual([
        { owner_id: ada, name: 'My tasks', personal: true, task_seq: 7, role: 'owner' },
        { owner_id: bo, name: 'My tasks', personal: true, task_seq: 0, role: 'owner' },
      ]);
      const tasks = await em.execute(
        `select t.number, t.title, t.created_by_id, t.updated_by_id, l.owner_id from tasks t join lists l on l.id = t.list_id order by t.number`,
      );
      expect(tasks).toEqual([
        { number: 3, title: 'three', created_by_id: ada, updated_by_id: ada, owner_id: ada },
        { number: 7, title: 'seven', created_by_id: ada, updated_by_id: ada, owner_id: ada },
      ]);
    } finally {
      await orm.close();
    }
  });
});
