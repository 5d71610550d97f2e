// Manual order: a task moves right before or after another of its list; moves of one list are one
// at a time, so any number at once (also between the same two tasks) leave distinct positions and one
// order that every reader sees; a move is history and can be undone.
import { describe, expect, it } from 'vitest';
import { call, signup, type TestUser } from '../helpers/app.ts';
import { connect, listeningApp, record } from '../helpers/socket.ts';

describe('manual order', () => {
  const suite = listeningApp();
  const api = (user: TestUser, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) => call(suite.app, user, method, url, body);

  async function listOf(user: TestUser, titles: string[]) {
    const list = (await api(user, 'POST', '/api/lists', { name: `L${Math.random()}` })).body.list;
    for (const title of titles) await api(user, 'POST', '/api/tasks', { title, list_id: list.id });
    const order = async () => (await api(user, 'GET', `/api/tasks?list_id=${list.id}&limit=200`)).body.tasks.map((task: any) => task.title);
    return { list, order };
  }

  it('reads a list in its manual order by default, moves before and after, and undoes a move', async () => {
    const user = await signup(suite.app);
    const { list, order } = await listOf(user, ['a', 'b', 'c', 'd']);
    expect(await order()).toEqual(['a', 'b', 'c', 'd']);
    expect((await api(user, 'POST', `/api/tasks/4/move?list_id=${list.id}`, { before: 1 })).body.task.position).toEqual(expect.any(String));
    expect(await order()).toEqual(['d', 'a', 'b', 'c']);
    await api(user, 'POST', `/api/tasks/1/move?list_id=${list.id}`, { after: 3 });
    expect(await order()).toEqual(['d', 'b', 'c', 'a']);
    expect((await api(user, 'GET', `/api/tasks/1/history?list_id=${list.id}`)).body.history[0]).toMatchObject({
      action: 'moved',
      changes: { position: expect.any(Array) },
    });
    await api(user, 'POST', '/api/undo');
    expect(await order()).toEqual(['d', 'a', 'b', 'c']);
    // Pages of the manual order follow on.
    const first = (await api(user, 'GET', `/api/tasks?list_id=${list.id}&limit=2`)).body;
    const second = (await api(user, 'GET', `/api/tasks?list_id=${list.id}&limit=2&cursor=${first.next_cursor}`)).body;
    expect([...first.tasks, ...second.tasks].map((task: any) => task.title)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('tells every tab the positions a list’s first move gives its other tasks, so a tab’s order is the server’s', async () => {
    const user = await signup(suite.app);
    const { list, order } = await listOf(user, ['a', 'b', 'c']);
    const tab = await connect(suite.url, user.accessToken);
    try {
      const events = record(tab);
      await api(user, 'POST', `/api/tasks/3/move?list_id=${list.id}`, { before: 2 });
      const positions = new Map<string, string>();
      await expect
        .poll(() => {
          for (const [name, { task }] of events) if (name === 'task:updated') positions.set(task.title, task.position);
          return positions.size;
        })
        .toBe(3);
      expect([...positions].sort(([, x], [, y]) => (x < y ? -1 : 1)).map(([title]) => title)).toEqual(await order());
    } finally {
      tab.close();
    }
  });

  it('puts a task back next to its old place when another task has taken that place since (undo of a delete, undo of a move)', async () => {
    const user = await signup(suite.app);
    const { list, order } = await listOf(user, ['a', 'b', 'c', 'd']);
    await api(user, 'POST', `/api/tasks/4/move?list_id=${list.id}`, { before: 1 });
    await api(user, 'DELETE', `/api/tasks/2?list_id=${list.id}`);
    const deleted = (await api(user, 'GET', `/api/lists/${list.id}/activity`)).body.activity[0];
    expect(deleted).toMatchObject({ action: 'deleted' });
    // c right after a takes the key b had.
    await api(user, 'POST', `/api/tasks/3/move?list_id=${list.id}`, { after: 1 });
    expect((await api(user, 'POST', '/api/undo', { change_id: deleted.id })).status).toBe(200);
    expect(await order()).toEqual(['d', 'a', 'c', 'b']);
    // c's move undone: the key it left is b's now, so c goes right after b.
    const moves = (await api(user, 'GET', `/api/tasks/3/history?list_id=${list.id}`)).body.history.filter((entry: any) => entry.action === 'moved');
    expect((await api(user, 'POST', '/api/undo', { change_id: moves.at(-1).id })).status).toBe(200);
    expect(await order()).toEqual(['d', 'a', 'b', 'c']);
  });

  it('converges under many moves at once between the same two tasks: distinct positions, one order', async () => {
    const user = await signup(suite.app);
    const { list, order } = await listOf(user, ['a', 'b', 'c', 'd', 'e', 'f']);
    const moves = Array.from({ length: 20 }, (_, index) =>
      api(user, 'POST', `/api/tasks/${3 + (index % 4)}/move?list_id=${list.id}`, index % 2 ? { after: 1 } : { before: 2 }),
    );
    expect((await Promise.all(moves)).map((answer) => answer.status)).toEqual(Array(20).fill(200));
    const tasks = (await api(user, 'GET', `/api/tasks?list_id=${list.id}`)).body.tasks;
    expect(new Set(tasks.map((task: any) => task.position)).size).toBe(6);
    expect(tasks.map((task: any) => task.title).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const positions = tasks.map((task: any) => task.position);
    expect(positions).toEqual([...positions].sort((x: string, y: string) => (x < y ? -1 : 1)));
    expect(await order()).toEqual(tasks.map((task: any) => task.title));
  });

  it('refuses a move relative to itself or to a task of another list, and hears "move task 3 before task 1"', async () => {
    const user = await signup(suite.app);
    const { list } = await listOf(user, ['a', 'b', 'c']);
    await api(user, 'POST', '/api/tasks', { title: 'elsewhere' });
    const other = (await api(user, 'GET', '/api/tasks?q=elsewhere')).body.tasks[0];
    expect((await api(user, 'POST', `/api/tasks/1/move?list_id=${list.id}`, { before: other.id })).body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'before', message: 'must be another task of the same list' }],
    });
    expect((await api(user, 'POST', `/api/tasks/1/move?list_id=${list.id}`, { after: 1 })).status).toBe(400);
    expect((await api(user, 'POST', `/api/tasks/1/move?list_id=${list.id}`, { before: 2, after: 3 })).status).toBe(400);
    const solo = await signup(suite.app);
    for (const title of ['first', 'second', 'third']) await api(solo, 'POST', '/api/tasks', { title });
    expect((await api(solo, 'POST', '/api/chat', { message: 'move task 3 before task 1' })).body.response).toMatch(/task #3 "third"/);
    const personal = (await api(solo, 'GET', '/api/lists')).body.lists[0].id;
    expect((await api(solo, 'GET', `/api/tasks?list_id=${personal}`)).body.tasks.map((task: any) => task.title)).toEqual(['third', 'first', 'second']);
  });
});
