// Labels: a user's own, several on a task, filters by name, every member's labels on a shared
// list's tasks; labelling is history (undone like any change), and a deleted task comes back with them.
import { describe, expect, it } from 'vitest';
import { call, signup, type TestUser, testApp } from '../helpers/app.ts';

describe('labels', () => {
  const suite = testApp();
  const api = (user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) => call(suite.app, user, method, url, body);
  const names = (task: { labels: { name: string }[] }) => task.labels.map((label) => label.name);

  it('makes, renames, recolours and deletes labels, unique per user whatever the case', async () => {
    const user = await signup(suite.app);
    const work = (await api(user, 'POST', '/api/labels', { name: 'Work', color: '#3366FF' })).body.label;
    expect(work).toEqual({ id: expect.any(String), name: 'Work', color: '#3366ff' });
    expect((await api(user, 'POST', '/api/labels', { name: 'work', color: '#000000' })).status).toBe(409);
    expect((await api(user, 'PATCH', `/api/labels/${work.id}`, { name: 'Job', color: '#00ff00' })).body.label).toMatchObject({ name: 'Job', color: '#00ff00' });
    expect((await api(user, 'POST', '/api/labels', { name: 'x', color: 'blue' })).body.error.details[0].field).toBe('color');
    const other = await signup(suite.app);
    expect((await api(other, 'PATCH', `/api/labels/${work.id}`, { name: 'Mine' })).status).toBe(404);
    expect((await api(user, 'DELETE', `/api/labels/${work.id}`)).status).toBe(204);
    expect((await api(user, 'GET', '/api/labels')).body.labels).toEqual([]);
  });

  it('puts several on a task, filters by name, refuses someone else’s label, undoes, and keeps them through a delete and its undo', async () => {
    const [user, other] = [await signup(suite.app), await signup(suite.app)];
    const [work, home] = [
      (await api(user, 'POST', '/api/labels', { name: 'Work', color: '#111111' })).body.label,
      (await api(user, 'POST', '/api/labels', { name: 'home', color: '#222222' })).body.label,
    ];
    const foreign = (await api(other, 'POST', '/api/labels', { name: 'theirs', color: '#333333' })).body.label;
    const task = (await api(user, 'POST', '/api/tasks', { title: 'Report' })).body.task;
    await api(user, 'POST', '/api/tasks', { title: 'Unlabelled' });
    expect(names((await api(user, 'PUT', `/api/tasks/${task.id}/labels`, { label_ids: [work.id, home.id] })).body.task)).toEqual(['home', 'Work']);
    expect((await api(user, 'PUT', `/api/tasks/${task.id}/labels`, { label_ids: [foreign.id] })).body.error.details).toEqual([
      { field: 'label_ids', message: 'must be ids of your own labels' },
    ]);
    expect((await api(user, 'GET', '/api/tasks?label=WORK')).body.tasks.map((found: any) => found.title)).toEqual(['Report']);
    await api(user, 'PUT', `/api/tasks/${task.id}/labels`, { label_ids: [work.id] });
    expect(names((await api(user, 'POST', '/api/undo')).body.task)).toEqual(['home', 'Work']);
    await api(user, 'DELETE', `/api/tasks/${task.id}`);
    expect(names((await api(user, 'POST', '/api/undo')).body.task)).toEqual(['home', 'Work']);
  });

  it('shows every member’s labels on a shared list’s task, each changing only their own', async () => {
    const [olga, sam] = [await signup(suite.app), await signup(suite.app)];
    const list = (await api(olga, 'POST', '/api/lists', { name: 'Family' })).body.list;
    const invitation = (await api(olga, 'POST', `/api/lists/${list.id}/invitations`, { email: sam.email, role: 'editor' })).body.invitation;
    await api(sam, 'POST', `/api/invitations/${invitation.id}/accept`);
    const task = (await api(olga, 'POST', '/api/tasks', { title: 'Groceries', list_id: list.id })).body.task;
    const [olgaLabel, samLabel] = [
      (await api(olga, 'POST', '/api/labels', { name: 'errands', color: '#111111' })).body.label,
      (await api(sam, 'POST', '/api/labels', { name: 'saturday', color: '#222222' })).body.label,
    ];
    await api(olga, 'PUT', `/api/tasks/${task.id}/labels`, { label_ids: [olgaLabel.id] });
    await api(sam, 'PUT', `/api/tasks/${task.id}/labels`, { label_ids: [samLabel.id] });
    expect(names((await api(olga, 'GET', `/api/tasks/${task.id}`)).body.task)).toEqual(['errands', 'saturday']);
    await api(sam, 'PUT', `/api/tasks/${task.id}/labels`, { label_ids: [] });
    expect(names((await api(sam, 'GET', `/api/tasks/${task.id}`)).body.task)).toEqual(['errands']);
  });

  it('lets the assistant tag, list by label and untag by name', async () => {
    const user = await signup(suite.app);
    const chat = async (message: string) => (await api(user, 'POST', '/api/chat', { message })).body.response as string;
    await api(user, 'POST', '/api/tasks', { title: 'Finish the report' });
    await api(user, 'POST', '/api/tasks', { title: 'Buy milk' });
    expect(await chat('tag the report as work')).toMatch(/labels: work/);
    expect(await chat('tag the milk with errands')).toMatch(/labels: errands/);
    expect(await chat('show my work tasks')).toMatch(/#1 Finish the report/);
    expect(await chat('remove the errands label from the milk')).toMatch(/no labels/);
    expect((await api(user, 'GET', '/api/labels')).body.labels.map((label: any) => label.name)).toEqual(['errands', 'work']);
  });
});
