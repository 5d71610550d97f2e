import { describe, expect, it } from 'vitest';
import { call, signup, type TestUser, testApp, userInZone } from '../helpers/app.ts';

describe('time zones and due dates over REST', () => {
  const suite = testApp();

  const inZone = (timezone: string) => userInZone(suite.app, timezone);
  const create = async (user: TestUser, due_date: string, title = due_date) => {
    const res = await call(suite.app, user, 'POST', '/api/tasks', { title, due_date });
    expect(res.status).toBe(201);
    return res.body.task;
  };
  const titles = async (user: TestUser, query: string) =>
    (await call(suite.app, user, 'GET', `/api/tasks?${query}`)).body.tasks.map((task: { title: string }) => task.title);

  it('takes a zone at signup and with PATCH /api/auth/me, and refuses names that are not IANA zones', async () => {
    const email = `tz-${Date.now()}@example.com`;
    const created = await call(suite.app, undefined, 'POST', '/api/auth/signup', { email, password: 'password123', timezone: 'Asia/Kolkata' });
    expect(created.status).toBe(201);
    expect(created.body.user.timezone).toBe('Asia/Kolkata');
    const plain = await signup(suite.app);
    expect((await call(suite.app, plain, 'GET', '/api/auth/me')).body.user.timezone).toBe('UTC');
    for (const timezone of ['Mars/Olympus_Mons', 'PST8PDT; drop table users', '', 'x'.repeat(80)]) {
      const res = await call(suite.app, plain, 'PATCH', '/api/auth/me', { timezone });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('timezone');
    }
    const bad = await call(suite.app, undefined, 'POST', '/api/auth/signup', { email: `x${email}`, password: 'password123', timezone: 'Nowhere/Town' });
    expect(bad.status).toBe(400);
    expect((await call(suite.app, plain, 'PATCH', '/api/auth/me', { timezone: 'europe/berlin' })).body.user.timezone).toBe('Europe/Berlin');
    const renamed = await call(suite.app, plain, 'PATCH', '/api/auth/me', { name: 'Zed', timezone: 'Pacific/Kiritimati' });
    expect(renamed.body.user).toMatchObject({ name: 'Zed', timezone: 'Pacific/Kiritimati' });
    expect((await call(suite.app, plain, 'PATCH', '/api/auth/me', {})).body.user).toMatchObject({ name: 'Zed', timezone: 'Pacific/Kiritimati' });
  });

  it('keeps a date without a time as a calendar date and a time as an instant, a local time read in the user zone', async () => {
    const user = await inZone('America/Los_Angeles');
    expect((await create(user, '2030-05-01')).due_date).toBe('2030-05-01');
    expect((await create(user, '2030-05-01T17:00:00-08:00')).due_date).toBe('2030-05-02T01:00:00.000Z');
    // 17:00 in Los Angeles on a May day (PDT, UTC−7).
    expect((await create(user, '2030-05-01T17:00')).due_date).toBe('2030-05-02T00:00:00.000Z');
    const task = await create(user, '2030-05-01T09:00Z');
    const patched = await call(suite.app, user, 'PATCH', `/api/tasks/${task.number}`, { due_date: '2030-06-30' });
    expect(patched.body.task.due_date).toBe('2030-06-30');
    const replaced = await call(suite.app, user, 'PUT', `/api/tasks/${task.number}`, { title: 'put', due_date: '2030-07-01T08:30' });
    expect(replaced.body.task.due_date).toBe('2030-07-01T15:30:00.000Z');
    for (const due_date of ['2030-02-30', '0000-01-01', '10000-01-01', '2030-01-01T24:00', '2030-13-01']) {
      const res = await call(suite.app, user, 'POST', '/api/tasks', { title: 'bad', due_date });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('due_date');
    }
  });

  it('sorts and filters calendar dates and instants together, by the start of the day in the user zone', async () => {
    const user = await inZone('America/Los_Angeles');
    await create(user, '2030-05-01', 'all day May 1');
    // 03:00 UTC on May 1 is still April 30 in Los Angeles.
    await create(user, '2030-05-01T03:00:00Z', 'evening of April 30');
    await create(user, '2030-05-01T17:00:00-07:00', 'May 1 at five');
    expect(await titles(user, 'sort=due_date')).toEqual(['evening of April 30', 'all day May 1', 'May 1 at five']);
    expect(await titles(user, 'sort=-due_date')).toEqual(['May 1 at five', 'all day May 1', 'evening of April 30']);
    expect(await titles(user, 'sort=due_date&due_before=2030-05-01')).toEqual(['evening of April 30']);
    expect(await titles(user, 'sort=due_date&due_after=2030-05-01T12:00')).toEqual(['May 1 at five']);

    // In Tokyo the calendar date keeps its day and now starts before the instant (May 1, 12:00 there).
    await call(suite.app, user, 'PATCH', '/api/auth/me', { timezone: 'Asia/Tokyo' });
    const tasks = (await call(suite.app, user, 'GET', '/api/tasks?sort=due_date')).body.tasks;
    expect(tasks.map((task: { title: string }) => task.title)).toEqual(['all day May 1', 'evening of April 30', 'May 1 at five']);
    expect(tasks[0].due_date).toBe('2030-05-01');

    // Paging by due date crosses both kinds without losing or repeating a task.
    const first = await call(suite.app, user, 'GET', '/api/tasks?sort=due_date&limit=1');
    const second = await call(suite.app, user, 'GET', `/api/tasks?sort=due_date&limit=2&cursor=${first.body.next_cursor}`);
    expect([...first.body.tasks, ...second.body.tasks].map((task: { title: string }) => task.title)).toEqual(
      tasks.map((task: { title: string }) => task.title),
    );
  });
});
