// Reminders under a controlled clock: pushed at their moment to the task's creator and assignee
// (nobody else), once, across two instances racing for them; moved with the due date; never for a
// completed, archived or deleted task; snoozed; and, after a restart, pushed late.
import { describe, expect, it } from 'vitest';
import { executeBound } from '../../src/db/sql.ts';
import { call, createTestApp, sharedList, signup } from '../helpers/app.ts';
import { connect, listen, record, roomAdapters, twoListeningApps, until } from '../helpers/socket.ts';

const clock = { now: new Date('2026-03-07T12:00:00Z') };
/** The task:reminder payloads a tab has heard. */
const reminders = (heard: [string, any][]) => heard.filter(([name]) => name === 'task:reminder').map(([, payload]) => payload);
const at = (iso: string) => {
  clock.now = new Date(iso);
};

describe.each(roomAdapters)('reminders (%s adapter)', (adapter) => {
  const suite = twoListeningApps({}, { clock: () => clock.now, reminderPollMs: 0 }, adapter);
  const api = (user: Parameters<typeof call>[1], method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    call(suite.a, user, method, url, body);

  it('pushes a reminder at its moment to the creator and the assignee, once, and not to other members', async () => {
    at('2026-03-07T12:00:00Z');
    const [olga, max, vic] = [await signup(suite.a, 'Olga'), await signup(suite.a, 'Max'), await signup(suite.a, 'Vic')];
    const list = await sharedList(suite.a, olga, [max, 'editor'], [vic, 'editor']);
    const task = (await api(olga, 'POST', '/api/tasks', { title: 'Call the plumber', list_id: list.id, assignee_id: max.id })).body.task;
    const set = await api(olga, 'POST', `/api/tasks/${task.id}/reminders`, { at: '2026-03-07T12:30:00Z' });
    expect(set.status).toBe(201);
    expect(set.body.reminder).toEqual({
      id: expect.any(String),
      at: '2026-03-07T12:30:00.000Z',
      before_minutes: null,
      fires_at: '2026-03-07T12:30:00.000Z',
      fired_at: null,
    });
    expect((await api(olga, 'GET', `/api/tasks/${task.id}`)).body.task.reminders).toEqual([set.body.reminder]);
    const [olgaTab, maxTab, vicTab] = [
      await connect(suite.urlA, olga.accessToken),
      await connect(suite.urlB, max.accessToken),
      await connect(suite.urlB, vic.accessToken),
    ];
    const [olgaHeard, maxHeard, vicHeard] = [record(olgaTab), record(maxTab), record(vicTab)];
    try {
      at('2026-03-07T12:29:59Z');
      expect(await suite.a.reminders.tick()).toBe(0);
      at('2026-03-07T12:30:00Z');
      expect(await suite.b.reminders.tick()).toBe(1);
      expect(await suite.a.reminders.tick()).toBe(0);
      await until(() => reminders(olgaHeard).length > 0 && reminders(maxHeard).length > 0);
      const [pushed] = reminders(olgaHeard);
      expect(pushed).toMatchObject({
        task: { id: task.id, title: 'Call the plumber' },
        reminder: { id: set.body.reminder.id, fired_at: '2026-03-07T12:30:00.000Z' },
        late: false,
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(reminders(vicHeard)).toEqual([]);
      expect([olgaHeard, maxHeard].map((heard) => reminders(heard).length)).toEqual([1, 1]);
    } finally {
      for (const tab of [olgaTab, maxTab, vicTab]) tab.disconnect();
    }
  });

  it('moves a reminder set before the due date with it, refuses one without a due date, and snoozes', async () => {
    at('2026-03-07T12:00:00Z');
    const user = await signup(suite.a);
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Dentist', due_date: '2026-03-07T15:00:00Z' })).body.task;
    const reminder = (await api(user, 'POST', `/api/tasks/${task.id}/reminders`, { before_minutes: 30 })).body.reminder;
    expect(reminder).toMatchObject({ at: null, before_minutes: 30, fires_at: '2026-03-07T14:30:00.000Z' });
    const moved = (await api(user, 'PATCH', `/api/tasks/${task.id}`, { due_date: '2026-03-08T15:00:00Z' })).body.task;
    expect(moved.reminders[0].fires_at).toBe('2026-03-08T14:30:00.000Z');
    const undated = (await api(user, 'POST', '/api/tasks', { title: 'Someday' })).body.task;
    const refused = await api(user, 'POST', `/api/tasks/${undated.id}/reminders`, { before_minutes: 10 });
    expect(refused.body.error.details).toEqual([{ field: 'before_minutes', message: 'needs a due date on the task' }]);
    expect((await api(user, 'POST', `/api/tasks/${undated.id}/reminders`, { at: '2026-03-07T13:00:00Z', before_minutes: 5 })).status).toBe(400);

    at('2026-03-08T14:30:00Z');
    await suite.a.reminders.tick();
    expect((await api(user, 'GET', `/api/tasks/${task.id}`)).body.task.reminders[0].fired_at).toBe('2026-03-08T14:30:00.000Z');
    const snoozed = (await api(user, 'POST', `/api/reminders/${reminder.id}/snooze`, { minutes: 10 })).body.reminder;
    expect(snoozed).toEqual({ id: reminder.id, at: '2026-03-08T14:40:00.000Z', before_minutes: null, fires_at: '2026-03-08T14:40:00.000Z', fired_at: null });
    expect((await api(user, 'DELETE', `/api/reminders/${reminder.id}`)).status).toBe(204);
    expect((await api(user, 'GET', `/api/tasks/${task.id}`)).body.task.reminders).toEqual([]);
  });

  it('never pushes a reminder of a task completed, archived or deleted before its moment', async () => {
    at('2026-03-07T12:00:00Z');
    const user = await signup(suite.a);
    const tab = await connect(suite.urlA, user.accessToken);
    const heard = record(tab);
    try {
      const ids: string[] = [];
      for (const title of ['done', 'archived', 'deleted', 'pending']) {
        const task = (await api(user, 'POST', '/api/tasks', { title })).body.task;
        await api(user, 'POST', `/api/tasks/${task.id}/reminders`, { at: '2026-03-07T13:00:00Z' });
        ids.push(task.id);
      }
      await api(user, 'PATCH', `/api/tasks/${ids[0]}/complete`, { completed: true });
      await api(user, 'POST', `/api/tasks/${ids[1]}/archive`);
      await api(user, 'DELETE', `/api/tasks/${ids[2]}`);
      at('2026-03-07T13:00:00Z');
      expect(await suite.a.reminders.tick()).toBe(1);
      await until(() => reminders(heard).length > 0);
      expect(reminders(heard).map((payload) => payload.task.title)).toEqual(['pending']);
    } finally {
      tab.disconnect();
    }
  });

  it('pushes each of many due reminders exactly once while both instances claim them at once', async () => {
    at('2026-03-07T12:00:00Z');
    const user = await signup(suite.a);
    // 60 tasks with 20 reminders each (as many as a task may hold), seeded by SQL: a second apart, all due within the hour.
    const tasks = await Promise.all(
      Array.from({ length: 60 }, async (_, index) => (await api(user, 'POST', '/api/tasks', { title: `Task ${index}` })).body.task),
    );
    await executeBound(
      suite.a.orm.em.fork(),
      `insert into task_reminders (task_id, at, fires_at)
       select task_id, s, s from unnest($1::uuid[]) as task_id, generate_series($2::timestamptz, $2::timestamptz + interval '19 seconds', interval '1 second') as s`,
      [tasks.map((task) => task.id), '2026-03-07T12:00:00Z'],
    );
    const tab = await connect(suite.urlB, user.accessToken);
    const heard = record(tab);
    try {
      at('2026-03-07T13:00:00Z');
      const [a, b] = await Promise.all([suite.a.reminders.tick(), suite.b.reminders.tick()]);
      expect(a + b).toBe(1_200);
      await until(() => reminders(heard).length === 1_200, 10_000);
      const ids = reminders(heard).map((payload) => payload.reminder.id);
      expect(new Set(ids).size).toBe(1_200);
    } finally {
      tab.disconnect();
    }
  });
});

describe('reminders after a restart', () => {
  it('pushes, marked late, a reminder whose moment passed while no instance ran', async () => {
    at('2026-03-07T12:00:00Z');
    const before = await createTestApp({}, { clock: () => clock.now, reminderPollMs: 0 });
    const user = await signup(before);
    const task = (await call(before, user, 'POST', '/api/tasks', { title: 'Water the plants' })).body.task;
    await call(before, user, 'POST', `/api/tasks/${task.id}/reminders`, { at: '2026-03-07T12:05:00Z' });
    await before.close();
    at('2026-03-07T14:00:00Z');
    const after = await createTestApp({}, { clock: () => clock.now, reminderPollMs: 300 });
    try {
      const tab = await connect(await listen(after), user.accessToken);
      const heard = record(tab);
      await until(() => reminders(heard).length > 0);
      expect(reminders(heard)[0]).toMatchObject({ task: { id: task.id }, late: true });
      tab.disconnect();
    } finally {
      await after.close();
    }
  });
});
