// History and undo: every change of a task is a history row (actor, channel, fields before and
// after), read per task and per list and live to the list's members; undo reverts the caller's own
// change unless a later one touched the same fields, brings a deleted task back whole, and is itself
// a change that can be undone.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, signup, type TestUser } from '../helpers/app.ts';
import { connect, listeningApp, waitFor } from '../helpers/socket.ts';

describe('history and undo', () => {
  const suite = listeningApp();
  const api = (user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => call(suite.app, user, method, url, body);
  const personal = async (user: TestUser) => (await api(user, 'GET', '/api/lists')).body.lists[0].id as string;

  it('writes a row for every change, by whom and through what, and reads a task’s history and a list’s activity', async () => {
    const user = await signup(suite.app, 'Ada');
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Buy milk' })).body.task;
    await api(user, 'PATCH', `/api/tasks/${task.id}`, { title: 'Buy oat milk', priority: 'high' });
    await api(user, 'PATCH', `/api/tasks/${task.id}/complete`, { completed: true });
    await api(user, 'POST', '/api/chat', { message: 'add call mom' });
    const { history } = (await api(user, 'GET', `/api/tasks/${task.id}/history`)).body;
    expect(history.map((entry: any) => [entry.action, entry.channel, entry.actor.name])).toEqual([
      ['completed', 'rest', 'Ada'],
      ['updated', 'rest', 'Ada'],
      ['created', 'rest', 'Ada'],
    ]);
    expect(history[1].changes).toEqual({ title: ['Buy milk', 'Buy oat milk'], priority: ['medium', 'high'] });
    await api(user, 'DELETE', `/api/tasks/${task.id}`);
    const { activity, next_cursor } = (await api(user, 'GET', `/api/lists/${await personal(user)}/activity?limit=2`)).body;
    expect(activity.map((entry: any) => [entry.action, entry.channel])).toEqual([
      ['deleted', 'rest'],
      ['created', 'assistant'],
    ]);
    const rest = (await api(user, 'GET', `/api/lists/${await personal(user)}/activity?limit=10&cursor=${next_cursor}`)).body.activity;
    expect(rest.map((entry: any) => entry.action)).toEqual(['completed', 'updated', 'created']);
    const stranger = await signup(suite.app);
    expect((await api(stranger, 'GET', `/api/lists/${await personal(user)}/activity`)).status).toBe(404);
  });

  it('undoes a delete (same id and number), a create, and a change of fields; an undo can be undone by naming it', async () => {
    const user = await signup(suite.app);
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Water plants', priority: 'low' })).body.task;
    await api(user, 'DELETE', `/api/tasks/${task.id}`);
    const restored = (await api(user, 'POST', '/api/undo')).body;
    expect(restored).toMatchObject({
      undone: { action: 'deleted', undone: true },
      task: { id: task.id, number: task.number, title: 'Water plants', priority: 'low' },
    });
    await api(user, 'PATCH', `/api/tasks/${task.id}`, { title: 'Water the ferns' });
    const reverted = (await api(user, 'POST', '/api/undo')).body;
    expect(reverted.task.title).toBe('Water plants');
    // The undo is history too, and can be undone by naming it.
    const [undoEntry] = (await api(user, 'GET', `/api/tasks/${task.id}/history`)).body.history;
    expect(undoEntry).toMatchObject({ channel: 'undo', changes: { title: ['Water the ferns', 'Water plants'] } });
    expect((await api(user, 'POST', '/api/undo', { change_id: undoEntry.id })).body.task.title).toBe('Water the ferns');
    const made = (await api(user, 'POST', '/api/tasks', { title: 'Oops' })).body.task;
    expect((await api(user, 'POST', '/api/undo')).body).toMatchObject({ undone: { action: 'created' }, task: null });
    expect((await api(user, 'GET', `/api/tasks/${made.id}`)).status).toBe(404);
  });

  it('refuses an undo over a later change of the same fields (naming who), of someone else’s change, and a second undo of one change', async () => {
    const [olga, sam] = [await signup(suite.app, 'Olga'), await signup(suite.app, 'Sam')];
    const list = (await api(olga, 'POST', '/api/lists', { name: 'Family' })).body.list;
    const invitation = (await api(olga, 'POST', `/api/lists/${list.id}/invitations`, { email: sam.email, role: 'editor' })).body.invitation;
    await api(sam, 'POST', `/api/invitations/${invitation.id}/accept`);
    const task = (await api(olga, 'POST', '/api/tasks', { title: 'Bread', list_id: list.id })).body.task;
    await api(olga, 'PATCH', `/api/tasks/${task.id}`, { title: 'Rye bread', priority: 'high' });
    const [olgaChange] = (await api(olga, 'GET', `/api/tasks/${task.id}/history`)).body.history;
    await api(sam, 'PATCH', `/api/tasks/${task.id}`, { title: 'Sourdough' });
    const refused = await api(olga, 'POST', '/api/undo', { change_id: olgaChange.id });
    expect([refused.status, refused.body.error.message]).toEqual([409, expect.stringMatching(/by Sam/)]);
    expect((await api(sam, 'POST', '/api/undo', { change_id: olgaChange.id })).status).toBe(403);
    expect((await api(await signup(suite.app), 'POST', '/api/undo', { change_id: olgaChange.id })).status).toBe(404);
    // Sam's own change undoes; then Olga's can, once: two at once, one wins.
    expect((await api(sam, 'POST', '/api/undo')).body.task.title).toBe('Rye bread');
    const both = await Promise.all([
      api(olga, 'POST', '/api/undo', { change_id: olgaChange.id }),
      api(olga, 'POST', '/api/undo', { change_id: olgaChange.id }),
    ]);
    expect(both.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect((await api(olga, 'GET', `/api/tasks/${task.id}`)).body.task).toMatchObject({ title: 'Bread', priority: 'medium' });
    expect((await api(olga, 'POST', '/api/undo', { change_id: randomUUID() })).status).toBe(404);
  });

  it('brings activity to every member’s tab live, and undoes over a socket', async () => {
    const [olga, sam] = [await signup(suite.app, 'Olga'), await signup(suite.app, 'Sam')];
    const list = (await api(olga, 'POST', '/api/lists', { name: 'Team' })).body.list;
    const invitation = (await api(olga, 'POST', `/api/lists/${list.id}/invitations`, { email: sam.email, role: 'editor' })).body.invitation;
    await api(sam, 'POST', `/api/invitations/${invitation.id}/accept`);
    const [olgaTab, samTab] = [await connect(suite.url, olga.accessToken), await connect(suite.url, sam.accessToken)];
    try {
      const seen = waitFor(samTab, 'activity:new');
      await api(olga, 'POST', '/api/tasks', { title: 'Slides', list_id: list.id });
      expect((await seen).entry).toMatchObject({ action: 'created', actor: { name: 'Olga' }, list_id: list.id });
      const undoneSeen = waitFor(samTab, 'task:deleted');
      const ack = await olgaTab.emitWithAck('task:undo', {});
      expect(ack).toMatchObject({ ok: true, undone: { action: 'created' }, task: null });
      await undoneSeen;
      expect(await olgaTab.emitWithAck('task:undo', { change_id: 'nope' } as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    } finally {
      olgaTab.close();
      samTab.close();
    }
  });

  it('lets the assistant undo its own changes of the conversation: "undo that", "undo the last two"', async () => {
    const user = await signup(suite.app);
    const chat = async (message: string, conversation_id?: string) => (await api(user, 'POST', '/api/chat', { message, conversation_id })).body;
    const first = await chat('add buy milk');
    await chat('add call mom and pay rent', first.conversation_id);
    expect((await chat('undo the last two', first.conversation_id)).response).toMatch(/Undone: removed "Pay rent", removed "Call mom"/);
    expect((await api(user, 'GET', '/api/tasks')).body.tasks.map((task: any) => task.title)).toEqual(['Buy milk']);
    expect((await chat('undo that', first.conversation_id)).response).toMatch(/removed "Buy milk"/);
    // A change made elsewhere (REST) is not the conversation's to undo.
    await api(user, 'POST', '/api/tasks', { title: 'Mine' });
    expect((await chat('undo that', first.conversation_id)).response).toMatch(/couldn't undo/);
    expect((await api(user, 'GET', '/api/tasks')).body.tasks.map((task: any) => task.title)).toEqual(['Mine']);
  });
});
