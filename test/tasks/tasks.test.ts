import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, signup, type TestUser, testApp } from '../helpers/app.ts';

describe('tasks REST', () => {
  const suite = testApp();

  const create = async (user: TestUser, body: Record<string, unknown>) => {
    const res = await call(suite.app, user, 'POST', '/api/tasks', body);
    expect(res.status).toBe(201);
    return res.body.task;
  };

  it('creates a task with defaults and reads it by number and uuid', async () => {
    const user = await signup(suite.app);
    const task = await create(user, { title: '  Buy milk ', description: 'two litres', due_date: '2030-05-01' });
    expect(task).toMatchObject({
      number: 1,
      title: 'Buy milk',
      description: 'two litres',
      status: 'pending',
      completed: false,
      priority: 'medium',
      due_date: '2030-05-01',
      completed_at: null,
    });
    expect((await call(suite.app, user, 'GET', '/api/tasks/1')).body.task.id).toBe(task.id);
    expect((await call(suite.app, user, 'GET', `/api/tasks/${task.id}`)).body.task.number).toBe(1);
    const done = await create(user, { title: 'Already done', status: 'completed' });
    expect(done).toMatchObject({ number: 2, completed: true, completed_at: expect.any(String) });
  });

  it.each([
    [{}, 'title'],
    [{ title: '   ' }, 'title'],
    [{ title: 'x'.repeat(256) }, 'title'],
    [{ title: 'ok', description: 'd'.repeat(1001) }, 'description'],
    [{ title: 'ok', priority: 'whenever' }, 'priority'],
    [{ title: 'ok', status: 'done' }, 'status'],
    [{ title: 'ok', due_date: 'next tuesday' }, 'due_date'],
    [{ title: 'ok', due_date: '2030-02-30T25:00:00Z' }, 'due_date'],
    [{ title: 7 }, 'title'],
  ])('rejects POST body %o naming %s', async (body, field) => {
    const user = await signup(suite.app);
    const res = await call(suite.app, user, 'POST', '/api/tasks', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
  });

  it('answers malformed JSON, a huge body and bad refs with clean 4xx', async () => {
    const user = await signup(suite.app);
    const malformed = await suite.app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: { ...user.auth, 'content-type': 'application/json' },
      payload: '{"title": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('BAD_REQUEST');
    const huge = await suite.app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: { ...user.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ title: 'x', description: 'y'.repeat(200_000) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await call(suite.app, user, 'GET', '/api/tasks/0')).status).toBe(400);
    expect((await call(suite.app, user, 'GET', "/api/tasks/'%20OR%201=1--")).status).toBe(400);
    expect((await call(suite.app, user, 'GET', '/api/tasks/99999999999')).status).toBe(400);
    expect((await call(suite.app, user, 'GET', '/api/tasks/42')).body.error.code).toBe('NOT_FOUND');
    expect((await call(suite.app, user, 'GET', `/api/tasks/${randomUUID()}`)).status).toBe(404);
    expect((await call(suite.app, user, 'GET', '/api/nothing-here')).body.error.code).toBe('NOT_FOUND');
  });

  it('keeps completed, status and completed_at in agreement through PATCH, PUT and /complete', async () => {
    const user = await signup(suite.app);
    await create(user, { title: 'Walk', priority: 'high', description: 'park', due_date: '2030-01-01T10:00:00Z' });
    let task = (await call(suite.app, user, 'PATCH', '/api/tasks/1', { completed: true })).body.task;
    expect(task).toMatchObject({ status: 'completed', completed: true, completed_at: expect.any(String) });
    const completedAt = task.completed_at;
    task = (await call(suite.app, user, 'PATCH', '/api/tasks/1', { title: 'Walk the dog' })).body.task;
    expect(task).toMatchObject({ title: 'Walk the dog', completed_at: completedAt });
    task = (await call(suite.app, user, 'PATCH', '/api/tasks/1', { status: 'in_progress' })).body.task;
    expect(task).toMatchObject({ status: 'in_progress', completed: false, completed_at: null });
    expect((await call(suite.app, user, 'PATCH', '/api/tasks/1', { status: 'pending', completed: true })).status).toBe(400);
    expect((await call(suite.app, user, 'PATCH', '/api/tasks/1/complete')).body.task.completed).toBe(true);
    expect((await call(suite.app, user, 'PATCH', '/api/tasks/1/complete')).body.task.completed).toBe(false);
    expect((await call(suite.app, user, 'PATCH', '/api/tasks/1/complete', { completed: true })).body.task.completed).toBe(true);
    expect((await call(suite.app, user, 'PATCH', '/api/tasks/1/complete', { completed: true })).body.task.completed).toBe(true);
    task = (await call(suite.app, user, 'PUT', '/api/tasks/1', { title: 'Replaced' })).body.task;
    expect(task).toMatchObject({
      title: 'Replaced',
      description: null,
      priority: 'medium',
      due_date: null,
      status: 'pending',
      completed: false,
      completed_at: null,
    });
    expect((await call(suite.app, user, 'PUT', '/api/tasks/1', { priority: 'low' })).status).toBe(400);
    expect((await call(suite.app, user, 'PATCH', '/api/tasks/1', { due_date: null, description: null })).status).toBe(200);
  });

  it('hands out numbers that are unique under concurrent creates and never reused after delete', async () => {
    const user = await signup(suite.app);
    const tasks = await Promise.all(Array.from({ length: 20 }, (_, i) => create(user, { title: `parallel ${i}` })));
    expect(new Set(tasks.map((task) => task.number)).size).toBe(20);
    expect(Math.max(...tasks.map((task) => task.number))).toBe(20);
    expect((await call(suite.app, user, 'DELETE', '/api/tasks/20')).status).toBe(204);
    expect((await call(suite.app, user, 'DELETE', '/api/tasks/20')).status).toBe(404);
    expect((await create(user, { title: 'next' })).number).toBe(21);
  });

  it('filters, searches, sorts and pages the list', async () => {
    const user = await signup(suite.app);
    for (let i = 1; i <= 9; i++) {
      await create(user, {
        title: i === 4 ? 'Book the 100% DENTIST_visit' : `Task ${i}`,
        description: i === 6 ? 'ask about the dentist' : undefined,
        priority: (['low', 'medium', 'high', 'urgent'] as const)[i % 4],
        due_date: i % 3 === 0 ? undefined : new Date(Date.UTC(2030, 0, 10 - i)).toISOString(),
        status: i === 2 ? 'completed' : i === 5 ? 'in_progress' : undefined,
      });
    }
    const list = async (query: string) => {
      const res = await call(suite.app, user, 'GET', `/api/tasks?${query}`);
      expect(res.status).toBe(200);
      return res.body as { tasks: { number: number; priority: string; due_date: string | null; status: string }[]; next_cursor: string | null };
    };
    expect((await list('')).tasks.map((task) => task.number)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect((await list('status=completed')).tasks.map((task) => task.number)).toEqual([2]);
    expect((await list('status=in_progress')).tasks.map((task) => task.number)).toEqual([5]);
    expect((await list('status=pending')).tasks).toHaveLength(7);
    expect((await list('q=dentist')).tasks.map((task) => task.number).sort()).toEqual([4, 6]);
    expect((await list('q=100%25')).tasks.map((task) => task.number)).toEqual([4]);
    expect((await list('q=_')).tasks.map((task) => task.number)).toEqual([4]);
    expect((await list('priority=urgent')).tasks.every((task) => task.priority === 'urgent')).toBe(true);
    expect((await list('due_before=2030-01-05')).tasks.map((task) => task.number).sort()).toEqual([7, 8]);
    expect((await list('due_after=2030-01-06')).tasks.map((task) => task.number).sort()).toEqual([1, 2]);
    const byDue = (await list('sort=due_date')).tasks;
    expect(byDue.map((task) => task.number)).toEqual([8, 7, 5, 4, 2, 1, 3, 6, 9]);
    expect((await list('sort=-due_date')).tasks.map((task) => task.number)).toEqual([1, 2, 4, 5, 7, 8, 9, 6, 3]);
    expect((await list('sort=-priority')).tasks.map((task) => task.priority)).toEqual([
      'urgent',
      'urgent',
      'high',
      'high',
      'medium',
      'medium',
      'medium',
      'low',
      'low',
    ]);

    for (const sort of ['created_at', '-created_at', 'due_date', '-due_date', 'priority', '-priority', 'updated_at', '-updated_at']) {
      const all = (await list(`sort=${sort}&limit=200`)).tasks.map((task) => task.number);
      const paged: number[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof list>> = await list(`sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        paged.push(...page.tasks.map((task) => task.number));
        cursor = page.next_cursor;
      } while (cursor);
      expect(paged, sort).toEqual(all);
    }

    for (const query of ['limit=0', 'limit=201', 'limit=abc', 'status=done', 'sort=title', 'priority=meh', 'due_before=tomorrow', 'cursor=garbage']) {
      const res = await call(suite.app, user, 'GET', `/api/tasks?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
    const firstPage = await list('limit=2&sort=priority');
    expect((await call(suite.app, user, 'GET', `/api/tasks?limit=2&sort=due_date&cursor=${firstPage.next_cursor}`)).status).toBe(400);
  });

  it("never lets one user see or touch another user's tasks", async () => {
    const alice = await signup(suite.app);
    const bob = await signup(suite.app);
    const secret = await create(alice, { title: 'secret' });
    for (const [method, url, body] of [
      ['GET', `/api/tasks/${secret.id}`],
      ['PATCH', `/api/tasks/${secret.id}`, { title: 'pwned' }],
      ['PUT', `/api/tasks/${secret.id}`, { title: 'pwned' }],
      ['PATCH', `/api/tasks/${secret.id}/complete`],
      ['DELETE', `/api/tasks/${secret.id}`],
      ['GET', '/api/tasks/1'],
    ] as const) {
      expect((await call(suite.app, bob, method, url, body)).status, `${method} ${url}`).toBe(404);
    }
    expect((await call(suite.app, bob, 'GET', '/api/tasks')).body.tasks).toEqual([]);
    expect((await call(suite.app, alice, 'GET', '/api/tasks/1')).body.task).toMatchObject({ title: 'secret', completed: false });
  });

  it('answers under /api/:user_id for the token user and 403 for anyone else', async () => {
    const alice = await signup(suite.app);
    const bob = await signup(suite.app);
    const created = await call(suite.app, alice, 'POST', `/api/${alice.id}/tasks`, { title: 'compat' });
    expect(created.status).toBe(201);
    expect((await call(suite.app, alice, 'GET', `/api/${alice.id}/tasks`)).body.tasks).toHaveLength(1);
    expect((await call(suite.app, alice, 'PATCH', `/api/${alice.id}/tasks/1/complete`)).body.task.completed).toBe(true);
    expect((await call(suite.app, alice, 'GET', `/api/${alice.id}/tasks/${created.body.task.id}`)).status).toBe(200);
    const forbidden = await call(suite.app, bob, 'GET', `/api/${alice.id}/tasks`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    expect((await call(suite.app, bob, 'DELETE', `/api/${alice.id}/tasks/1`)).status).toBe(403);
    expect((await call(suite.app, undefined, 'GET', `/api/${alice.id}/tasks`)).status).toBe(401);
    expect((await call(suite.app, alice, 'DELETE', `/api/${alice.id}/tasks/1`)).status).toBe(204);
  });
});
