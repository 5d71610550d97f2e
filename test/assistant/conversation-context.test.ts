// The offline assistant follows the conversation from what is stored: every turn here goes to the
// other of two instances on one database, so nothing one process remembers can help.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signup, type TestUser } from '../helpers/app.ts';

describe('offline assistant: the conversation as context, across instances', () => {
  let apps: FastifyInstance[];
  let user: TestUser;
  beforeAll(async () => {
    apps = [await createTestApp(), await createTestApp()];
    user = await signup(apps[0]!);
    for (const title of ['Buy milk', 'Pay rent', 'Call the dentist', 'Email Sarah about the report', 'Finish the quarterly report']) {
      await call(apps[0]!, user, 'POST', '/api/tasks', { title });
    }
  });
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  /** One conversation whose turns alternate between the instances. */
  function conversation() {
    let id: string | undefined;
    let turn = 0;
    return async (message: string): Promise<string> => {
      const res = await call(apps[turn++ % 2]!, user, 'POST', '/api/chat', { message, conversation_id: id });
      expect(res.status).toBe(200);
      id = res.body.conversation_id;
      return res.body.response as string;
    };
  }
  const task = async (number: number) => (await call(apps[0]!, user, 'GET', `/api/tasks/${number}`)).body.task;

  it('counts "the third one" in the listing it showed, in the order shown', async () => {
    const say = conversation();
    const listing = await say('show my tasks');
    const third = /^- #(\d+)/.exec(listing.split('\n')[3]!)![1];
    expect(await say('finish the third one')).toMatch(/marked task #\d+ .* as complete/);
    expect((await task(Number(third))).status).toBe('completed');
    await call(apps[0]!, user, 'PATCH', `/api/tasks/${third}`, { status: 'pending' });
  });

  it('reads "and … too" as another of the same, "it" as the task just added, and "scratch that" takes back the last turn', async () => {
    const say = conversation();
    const bank = Number(/#(\d+)/.exec(await say('add call the bank'))![1]);
    const plumber = Number(/#(\d+)/.exec(await say('and the plumber too'))![1]);
    expect(await task(plumber)).toMatchObject({ title: 'Call the plumber' });
    await say('make it urgent');
    expect(await task(plumber)).toMatchObject({ priority: 'urgent' });
    expect(await say('scratch that')).toMatch(/^Undone: reverted "Call the plumber"/);
    expect([(await task(plumber)).priority, (await task(bank)).title]).toEqual(['medium', 'Call the bank']);
  });

  it('answers its own question, and "no, the other one" puts the change on the other task', async () => {
    const say = conversation();
    expect(await say('complete the report')).toMatch(/Which one do you mean/);
    expect(await say('the first')).toMatch(/marked task #4 "Email Sarah about the report" as complete/);
    const corrected = await say('no, the other one');
    expect(corrected).toMatch(/took that back[\s\S]*task #5 "Finish the quarterly report"/);
    expect([(await task(4)).status, (await task(5)).status]).toEqual(['pending', 'completed']);
  });
});
