// Dates the assistant reads and says, at moments when the user's calendar day and UTC's differ.

import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { understand } from '../../src/assistant/providers/offline/intents/index.ts';
import { call, testApp, userInZone } from '../helpers/app.ts';
import { openAiSuite, textReply, toolCallsReply } from '../helpers/fake-openai.ts';

/** Three zones, each at a moment when its calendar day is not UTC's. */
const moments = [
  {
    zone: 'America/Los_Angeles',
    utc: '2026-11-25T02:00:00Z',
    today: '2026-11-24',
    weekday: 'Tuesday',
    time: '18:00',
    tomorrowAtFive: '2026-11-26T01:00:00.000Z',
  },
  {
    zone: 'Pacific/Kiritimati',
    utc: '2026-11-24T11:00:00Z',
    today: '2026-11-25',
    weekday: 'Wednesday',
    time: '01:00',
    tomorrowAtFive: '2026-11-26T03:00:00.000Z',
  },
  { zone: 'Asia/Kolkata', utc: '2026-11-24T20:00:00Z', today: '2026-11-25', weekday: 'Wednesday', time: '01:30', tomorrowAtFive: '2026-11-26T11:30:00.000Z' },
];
const dayAfter = (date: string) => DateTime.fromISO(date).plus({ days: 1 }).toISODate();

afterEach(() => {
  vi.useRealTimers();
});

describe('the offline assistant in the user zone', () => {
  const suite = testApp();

  const userIn = (timezone: string) => userInZone(suite.app, timezone);

  it.each(moments)('reads "tomorrow", "tomorrow at 5pm" and "tonight" in $zone at $utc', async (moment) => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(new Date(moment.utc));
    const user = await userIn(moment.zone);
    const chat = async (message: string) => (await call(suite.app, user, 'POST', '/api/chat', { message })).body;
    await chat('remind me to call mom tomorrow');
    const atFive = await chat('add pay the plumber tomorrow at 5pm');
    expect(atFive).toMatchObject({ tool_calls: [{ name: 'add_task' }] });
    await chat('add take out the trash tonight');
    const tasks = (await call(suite.app, user, 'GET', '/api/tasks?sort=created_at')).body.tasks;
    expect(tasks.map((task: { due_date: string }) => task.due_date)).toEqual([dayAfter(moment.today), moment.tomorrowAtFive, moment.today]);
    // The confirmation names the local day and time, not UTC's.
    const local = DateTime.fromISO(moment.tomorrowAtFive).setZone(moment.zone);
    expect(atFive.response).toContain(`due ${local.toFormat('ccc, LLL d')} at 5:00 PM`);
    const listing = await chat('show my tasks');
    expect(listing.response).toContain(`due ${local.toFormat('ccc, LLL d')} at 5:00 PM`);
  });

  it('makes one tool call per task for a request that names several, in one reply', async () => {
    const user = await userIn('Europe/Berlin');
    const added = (await call(suite.app, user, 'POST', '/api/chat', { message: 'add milk, eggs and bread' })).body;
    expect(added.tool_calls.map((toolCall: { name: string }) => toolCall.name)).toEqual(['add_task', 'add_task', 'add_task']);
    const done = (await call(suite.app, user, 'POST', '/api/chat', { message: 'complete 1 and 3' })).body;
    expect(done.tool_calls.map((toolCall: { arguments: unknown }) => toolCall.arguments)).toEqual([{ task_number: 1 }, { task_number: 3 }]);
    const tasks = (await call(suite.app, user, 'GET', '/api/tasks?sort=created_at')).body.tasks;
    expect(tasks.map((task: { title: string; completed: boolean }) => [task.title, task.completed])).toEqual([
      ['Milk', true],
      ['Eggs', false],
      ['Bread', true],
    ]);
  });

  it('resolves "tomorrow" to the day after the local date, in any zone at any moment', () => {
    const zones = ['America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Kolkata', 'Pacific/Pago_Pago', 'Europe/Berlin', 'Australia/Lord_Howe', 'UTC'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2030, 0, 1) }), (timeZone, ms) => {
        const now = new Date(ms);
        const local = DateTime.fromJSDate(now, { zone: timeZone });
        const intent = understand('add water the plants tomorrow at 9am', { now, timeZone });
        const due = intent.kind === 'add' ? intent.tasks[0]?.due_date : undefined;
        const expected = local.plus({ days: 1 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
        expect(due).toBe(expected.toUTC().toISO());
        const dated = understand('add water the plants tomorrow', { now, timeZone });
        expect(dated.kind === 'add' && dated.tasks[0]?.due_date).toBe(local.plus({ days: 1 }).toISODate());
      }),
      { numRuns: 300 },
    );
  });
});

describe('the openai provider in the user zone', () => {
  const suite = openAiSuite();

  it.each(moments)('tells the model the local date, weekday, time and zone in $zone, and reads its local times there', async (moment) => {
    const { fake, app } = suite;
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(new Date(moment.utc));
    const user = await userInZone(app, moment.zone);
    fake.requests.length = 0;
    const tomorrow = dayAfter(moment.today);
    fake.script(
      toolCallsReply({ id: 'call_1', name: 'add_task', argumentPieces: [JSON.stringify({ title: 'Pay the plumber', due_date: `${tomorrow}T17:00` })] }),
      toolCallsReply({ id: 'call_2', name: 'list_tasks', argumentPieces: ['{}'] }),
      textReply('Done.'),
    );
    const res = await call(app, user, 'POST', '/api/chat', { message: 'pay the plumber tomorrow at 5pm' });
    expect(res.status).toBe(200);
    const prompt = fake.requests[0].messages[0].content as string;
    const offset = DateTime.fromISO(moment.utc).setZone(moment.zone).toFormat('ZZ');
    expect(prompt).toContain(`${moment.weekday}, ${moment.today}, ${moment.time} in ${moment.zone} (UTC${offset})`);
    const task = (await call(app, user, 'GET', '/api/tasks')).body.tasks[0];
    expect(task.due_date).toBe(moment.tomorrowAtFive);
    // What list_tasks gives the model back is in the user's zone, with its offset.
    const listed = JSON.parse(fake.requests[2].messages.at(-1).content);
    expect(listed.tasks[0].due_date).toBe(DateTime.fromISO(moment.tomorrowAtFive).setZone(moment.zone).toISO({ suppressMilliseconds: true }));
  });
});
