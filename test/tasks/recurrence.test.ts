// Recurring tasks and the views of the day, under a controlled clock: a rule read on the due
// date's wall clock in the user's zone (09:00 stays 09:00 across DST, both ways, in two zones),
// completing moves the task to its next occurrence (once, for two tabs completing at once), a
// COUNT ends it, complete-forever ends it; today / overdue / week / upcoming / none in the zone.
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { call, signup, testApp, userInZone } from '../helpers/app.ts';

const clock = { now: new Date('2026-03-06T12:00:00Z') };

describe('recurring tasks', () => {
  const suite = testApp({}, { clock: () => clock.now, reminderPollMs: 0 });
  const api = (user: Parameters<typeof call>[1], method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => call(suite.app, user, method, url, body);
  const complete = async (user: Parameters<typeof call>[1], id: string) =>
    (await api(user, 'PATCH', `/api/tasks/${id}/complete`, { completed: true })).body.task;

  it.each([
    // Spring forward: 09:00 EST (14:00Z) → 09:00 EDT (13:00Z).
    ['America/New_York', '2026-03-07T09:00', ['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z']],
    // Fall back: 09:00 CEST (07:00Z) → 09:00 CET (08:00Z).
    ['Europe/Berlin', '2026-10-24T09:00', ['2026-10-24T07:00:00.000Z', '2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z']],
    // Spring forward in Berlin, fall back in New York.
    ['Europe/Berlin', '2026-03-28T09:00', ['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']],
    ['America/New_York', '2026-10-31T09:00', ['2026-10-31T13:00:00.000Z', '2026-11-01T14:00:00.000Z', '2026-11-02T14:00:00.000Z']],
  ])('keeps "every day at 9" at 09:00 in %s across a DST change', async (zone, local, instants) => {
    const user = await userInZone(suite.app, zone);
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Stretch', due_date: local, recurrence: 'RRULE:FREQ=DAILY' })).body.task;
    expect(task).toMatchObject({ recurrence: 'FREQ=DAILY', due_date: instants[0] });
    const second = await complete(user, task.id);
    expect(second).toMatchObject({ status: 'pending', completed: false, completed_at: null, due_date: instants[1] });
    // The day after the change (a second completion within seconds counts as the same one: another task).
    const next = (await api(user, 'POST', '/api/tasks', { title: 'Stretch', due_date: instants[1], recurrence: 'FREQ=DAILY' })).body.task;
    expect((await complete(user, next.id)).due_date).toBe(instants[2]);
    const history = (await api(user, 'GET', `/api/tasks/${task.id}/history`)).body.history;
    expect(history.slice(0, 2).map((entry: any) => [entry.action, entry.channel])).toEqual([
      ['updated', 'recurrence'],
      ['completed', 'rest'],
    ]);
  });

  it('moves weekly rules, calendar dates and their reminders; a COUNT ends the rule, complete-forever ends it at once', async () => {
    const user = await userInZone(suite.app, 'Europe/Berlin');
    const weekly = (await api(user, 'POST', '/api/tasks', { title: 'Team call', due_date: '2026-11-02T09:00', recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO' }))
      .body.task;
    await api(user, 'POST', `/api/tasks/${weekly.id}/reminders`, { before_minutes: 15 });
    const moved = await complete(user, weekly.id);
    expect(moved.due_date).toBe('2026-11-16T08:00:00.000Z');
    expect(moved.reminders).toEqual([expect.objectContaining({ before_minutes: 15, fires_at: '2026-11-16T07:45:00.000Z', fired_at: null })]);

    const rent = (await api(user, 'POST', '/api/tasks', { title: 'Rent', due_date: '2026-12-01', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1;COUNT=2' })).body.task;
    const january = await complete(user, rent.id);
    expect(january).toMatchObject({ due_date: '2027-01-01', status: 'pending', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1;COUNT=1' });
    expect(await complete(user, rent.id)).toMatchObject({ due_date: '2027-01-01', status: 'completed' });

    const forever = await api(user, 'POST', `/api/tasks/${weekly.id}/complete-forever`);
    expect(forever.body.task).toMatchObject({ status: 'completed', recurrence: null });
    const stopped = (await api(user, 'POST', '/api/tasks', { title: 'Gym', due_date: '2026-11-02', recurrence: 'FREQ=DAILY' })).body.task;
    expect((await api(user, 'PATCH', `/api/tasks/${stopped.id}`, { recurrence: null })).body.task.recurrence).toBeNull();
    expect((await complete(user, stopped.id)).status).toBe('completed');
  });

  it('moves an occurrence once when two tabs complete it at once', async () => {
    const user = await userInZone(suite.app, 'UTC');
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Feed the cat', due_date: '2026-03-07T08:00:00Z', recurrence: 'FREQ=DAILY' })).body.task;
    const answers = await Promise.all([complete(user, task.id), complete(user, task.id)]);
    expect(answers.map((answer) => answer.due_date)).toEqual(['2026-03-08T08:00:00.000Z', '2026-03-08T08:00:00.000Z']);
    expect((await api(user, 'GET', `/api/tasks/${task.id}`)).body.task).toMatchObject({ due_date: '2026-03-08T08:00:00.000Z', status: 'pending' });
    // A click from the other tab a moment later is the same completion, not the next occurrence's.
    expect((await complete(user, task.id)).due_date).toBe('2026-03-08T08:00:00.000Z');
    const history = (await api(user, 'GET', `/api/tasks/${task.id}/history`)).body.history;
    expect(history.filter((entry: any) => entry.channel === 'recurrence')).toHaveLength(1);
  });

  it('undoes the move to the next occurrence, then the completion', async () => {
    const user = await userInZone(suite.app, 'UTC');
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Water the plants', due_date: '2026-03-07T08:00:00Z', recurrence: 'FREQ=DAILY;COUNT=3' })).body
      .task;
    await complete(user, task.id);
    const first = await api(user, 'POST', '/api/undo');
    expect(first.body.undone).toMatchObject({ channel: 'recurrence' });
    expect(first.body.task).toMatchObject({ due_date: '2026-03-07T08:00:00.000Z', status: 'completed', recurrence: 'FREQ=DAILY;COUNT=3' });
    const second = await api(user, 'POST', '/api/undo');
    expect(second.body.undone).toMatchObject({ action: 'completed' });
    expect(second.body.task).toMatchObject({ due_date: '2026-03-07T08:00:00.000Z', status: 'pending', completed_at: null });
  });

  it('refuses a rule that is not one, one faster than hourly, and one without a due date, naming the field', async () => {
    const user = await signup(suite.app);
    for (const recurrence of ['FREQ=SOMETIMES', 'hello', 'FREQ=MINUTELY', 'DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY', 'FREQ=DAILY;COUNT=0']) {
      const answer = await api(user, 'POST', '/api/tasks', { title: 'x', due_date: '2026-03-07', recurrence });
      expect(answer.status, recurrence).toBe(400);
      expect(answer.body.error.details[0].field).toBe('recurrence');
    }
    const undated = await api(user, 'POST', '/api/tasks', { title: 'x', recurrence: 'FREQ=DAILY' });
    expect(undated.body.error.details).toEqual([{ field: 'recurrence', message: 'needs a due date' }]);
  });

  it('exports RRULE (from DTSTART, the due date) and VALARM in iCalendar', async () => {
    const user = await userInZone(suite.app, 'Europe/Berlin');
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Stand-up', due_date: '2026-11-02T09:30', recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE,FR' })).body
      .task;
    await api(user, 'POST', `/api/tasks/${task.id}/reminders`, { before_minutes: 10 });
    await api(user, 'POST', `/api/tasks/${task.id}/reminders`, { at: '2026-11-01T18:00:00Z' });
    const text = (await suite.app.inject({ method: 'GET', url: '/api/tasks/export?format=ics', headers: user.auth })).body;
    const todo = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vtodo')!;
    expect(todo.getFirstPropertyValue('rrule')!.toString()).toBe('FREQ=WEEKLY;BYDAY=MO,WE,FR');
    expect(todo.getFirstProperty('dtstart')!.toICALString()).toBe('DTSTART;TZID=Europe/Berlin:20261102T093000');
    const alarms = todo.getAllSubcomponents('valarm').map((alarm) => alarm.getFirstProperty('trigger')!.toICALString());
    expect(alarms.sort()).toEqual(['TRIGGER;RELATED=END:-PT10M', 'TRIGGER;VALUE=DATE-TIME:20261101T180000Z']);

    // Imported elsewhere, the rule, the due date in its zone and both reminders come back.
    const other = await userInZone(suite.app, 'America/New_York');
    expect((await api(other, 'POST', '/api/tasks/import', { format: 'ics', data: text })).body).toEqual({ imported: 1, skipped: 0, errors: [] });
    const imported = (await api(other, 'GET', '/api/tasks/1')).body.task;
    expect(imported).toMatchObject({ title: 'Stand-up', recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE,FR', due_date: task.due_date });
    // Soonest first: the one at an instant (1 November, 18:00 UTC), then 10 minutes before the due date.
    expect(imported.reminders.map((reminder: any) => [reminder.before_minutes, reminder.at])).toEqual([
      [null, '2026-11-01T18:00:00.000Z'],
      [10, null],
    ]);
    const broken = await api(other, 'POST', '/api/tasks/import', { format: 'ics', data: 'BEGIN:VCALENDAR\nBEGIN:VTODO\nSUMMARY:x' });
    expect(broken.body.error.details[0].field).toBe('data');
  });
});

describe('the views of the day', () => {
  const suite = testApp({}, { clock: () => clock.now, reminderPollMs: 0 });

  it('lists today, overdue, this week, upcoming and undated tasks in the user’s zone', async () => {
    // 23:30 on Friday 6 March in Los Angeles: already Saturday in UTC.
    clock.now = new Date('2026-03-07T07:30:00Z');
    const user = await userInZone(suite.app, 'America/Los_Angeles');
    const add = (title: string, due_date?: string) => call(suite.app, user, 'POST', '/api/tasks', { title, ...(due_date ? { due_date } : {}) });
    await add('yesterday', '2026-03-05');
    await add('earlier today', '2026-03-06T09:00');
    await add('today', '2026-03-06');
    await add('later tonight', '2026-03-06T23:45');
    await add('tomorrow', '2026-03-07');
    await add('in six days', '2026-03-12T10:00');
    await add('in a week', '2026-03-13');
    await add('someday');
    const done = (await add('done yesterday', '2026-03-05')).body.task;
    await call(suite.app, user, 'PATCH', `/api/tasks/${done.id}/complete`, { completed: true });
    const view = async (due: string) =>
      (await call(suite.app, user, 'GET', `/api/tasks?due=${due}&sort=due_date&limit=50`)).body.tasks.map((task: any) => task.title);
    expect(await view('today')).toEqual(['today', 'earlier today', 'later tonight']);
    expect(await view('overdue')).toEqual(['yesterday', 'earlier today']);
    expect(await view('week')).toEqual(['today', 'earlier today', 'later tonight', 'tomorrow', 'in six days']);
    expect(await view('upcoming')).toEqual(['tomorrow', 'in six days', 'in a week']);
    expect(await view('none')).toEqual(['someday']);
    expect((await call(suite.app, user, 'GET', '/api/tasks?due=soon')).body.error.details[0].field).toBe('due');
  });
});
