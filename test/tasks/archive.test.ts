// Archive: archived tasks leave the default reads (lists, tools, exports) but stay findable and
// restorable; a list's completed tasks archive at once; each is history and can be undone.
import { describe, expect, it } from 'vitest';
import { call, signup, type TestUser } from '../helpers/app.ts';
import { connect, listeningApp, record } from '../helpers/socket.ts';

describe('archive', () => {
  const suite = listeningApp();
  const api = (user: TestUser, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => call(suite.app, user, method, url, body);
  const titles = (tasks: { title: string }[]) => tasks.map((task) => task.title);

  it('takes a task out of the default reads, finds it when asked, brings it back, and undoes', async () => {
    const user = await signup(suite.app);
    for (const title of ['Keep', 'Put away']) await api(user, 'POST', '/api/tasks', { title });
    const archived = (await api(user, 'POST', '/api/tasks/2/archive')).body.task;
    expect(archived.archived_at).toEqual(expect.any(String));
    expect(titles((await api(user, 'GET', '/api/tasks')).body.tasks)).toEqual(['Keep']);
    expect(titles((await api(user, 'GET', '/api/tasks?archived=true')).body.tasks)).toEqual(['Put away']);
    expect(titles((await api(user, 'GET', '/api/tasks?archived=all&sort=created_at')).body.tasks)).toEqual(['Keep', 'Put away']);
    expect((await suite.app.inject({ url: '/api/tasks/export?format=json', headers: user.auth })).json().tasks.map((task: any) => task.title)).toEqual([
      'Keep',
    ]);
    expect((await suite.app.inject({ url: '/api/tasks/export?format=json&archived=all', headers: user.auth })).json().tasks).toHaveLength(2);
    // The assistant leaves it out of its lists too, unless asked.
    expect((await api(user, 'POST', '/api/chat', { message: 'show my tasks' })).body.response).not.toMatch(/Put away/);
    expect((await api(user, 'GET', '/api/tasks/2/history')).body.history[0]).toMatchObject({
      action: 'archived',
      changes: { archived_at: [null, expect.any(String)] },
    });
    expect((await api(user, 'POST', '/api/undo')).body.task.archived_at).toBeNull();
    await api(user, 'POST', '/api/tasks/2/archive');
    expect((await api(user, 'POST', '/api/tasks/2/unarchive')).body.task.archived_at).toBeNull();
  });

  it("archives a list's completed tasks at once, for an editor; a viewer may not", async () => {
    const [owner, viewer] = [await signup(suite.app), await signup(suite.app)];
    const list = (await api(owner, 'POST', '/api/lists', { name: 'Done pile' })).body.list;
    const invitation = (await api(owner, 'POST', `/api/lists/${list.id}/invitations`, { email: viewer.email, role: 'viewer' })).body.invitation;
    await api(viewer, 'POST', `/api/invitations/${invitation.id}/accept`);
    for (const [title, status] of [
      ['a', 'completed'],
      ['b', 'pending'],
      ['c', 'completed'],
    ])
      await api(owner, 'POST', '/api/tasks', { title, status, list_id: list.id });
    expect((await api(viewer, 'POST', `/api/lists/${list.id}/archive-completed`)).status).toBe(403);
    const viewerTab = await connect(suite.url, viewer.accessToken);
    const events = record(viewerTab);
    expect((await api(owner, 'POST', `/api/lists/${list.id}/archive-completed`)).body).toEqual({ archived: 2 });
    // Every member's tab hears of each task archived, and of each change.
    await expect.poll(() => events.length).toBe(4);
    viewerTab.close();
    const heard = (name: string) => events.filter(([event]) => event === name).map(([, payload]) => payload);
    expect(titles(heard('task:updated').map(({ task }) => task)).sort()).toEqual(['a', 'c']);
    expect(heard('task:updated').every(({ task }) => task.archived_at !== null)).toBe(true);
    expect(heard('activity:new').map(({ entry }) => entry.action)).toEqual(['archived', 'archived']);
    expect(titles((await api(owner, 'GET', `/api/tasks?list_id=${list.id}`)).body.tasks)).toEqual(['b']);
    expect((await api(owner, 'GET', `/api/lists/${list.id}/activity?limit=2`)).body.activity.map((entry: any) => entry.action)).toEqual([
      'archived',
      'archived',
    ]);
  });

  it('lets the assistant archive a task by name', async () => {
    const user = await signup(suite.app);
    await api(user, 'POST', '/api/tasks', { title: 'Clean the garage' });
    expect((await api(user, 'POST', '/api/chat', { message: 'archive the garage task' })).body.response).toMatch(/Archived task #1 "Clean the garage"/);
    expect((await api(user, 'GET', '/api/tasks')).body.tasks).toEqual([]);
  });
});
