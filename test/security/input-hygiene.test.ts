// Bad input is a 4xx naming the field, never a 500: NUL and lone surrogates in any text, forged
// cursors, impossible dates; and an empty body is no body whatever its Content-Type.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signup, type TestUser } from '../helpers/app.ts';
import { connect, listen } from '../helpers/socket.ts';

describe('input hygiene', () => {
  let app: FastifyInstance;
  let url: string;
  let user: TestUser;
  beforeAll(async () => {
    app = await createTestApp();
    url = await listen(app);
    user = await signup(app);
  });
  afterAll(() => app.close());

  const expectField = (res: { status: number; body: any }, field: string) => {
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
  };

  it.each([
    ['a NUL character', 'milk\u0000and honey'],
    ['a lone high surrogate', 'milk \ud800'],
    ['a lone low surrogate', '\udc00 milk'],
  ])('refuses %s in every text field, REST and socket alike', async (_what, text) => {
    const task = (await call(app, user, 'POST', '/api/tasks', { title: 'fine' })).body.task;
    const conversation = (await call(app, user, 'POST', '/api/conversations', { title: 'fine' })).body.conversation;
    expectField(await call(app, user, 'POST', '/api/tasks', { title: text }), 'title');
    expectField(await call(app, user, 'POST', '/api/tasks', { title: 'ok', description: text }), 'description');
    expectField(await call(app, user, 'PATCH', `/api/tasks/${task.number}`, { title: text }), 'title');
    expectField(await call(app, user, 'PUT', `/api/tasks/${task.number}`, { title: 'ok', description: text }), 'description');
    // A URL cannot carry a lone surrogate (it is not UTF-8); it can carry a NUL.
    if (text.isWellFormed()) expectField(await call(app, user, 'GET', `/api/tasks?q=${encodeURIComponent(text)}`), 'q');
    expectField(await call(app, user, 'POST', '/api/conversations', { title: text }), 'title');
    expectField(await call(app, user, 'PATCH', `/api/conversations/${conversation.id}`, { title: text }), 'title');
    expectField(await call(app, user, 'POST', '/api/chat', { message: text }), 'message');
    expectField(
      await call(app, undefined, 'POST', '/api/auth/signup', { email: `n${randomUUID()}@example.com`, password: 'long enough 1', name: text }),
      'name',
    );
    expectField(await call(app, undefined, 'POST', '/api/auth/login', { email: 'a@example.com', password: text }), 'password');
    const tab = await connect(url, user.accessToken);
    const ack = await tab.emitWithAck('message:send', { content: text, clientId: randomUUID() });
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR', details: [{ field: 'content' }] } });
    tab.close();
    // Nothing of it was stored.
    expect((await call(app, user, 'GET', '/api/tasks')).body.tasks.map((stored: any) => stored.title)).not.toContain(text);
  });

  it('refuses a lone surrogate written as a JSON escape', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: { ...user.auth, 'content-type': 'application/json' },
      payload: '{"title":"x\\ud83d"}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ field: 'title', message: expect.stringMatching(/lone surrogate/) }]);
  });

  it('answers a forged or foreign cursor with 400 naming cursor', async () => {
    const forge = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const taskCursors = [
      ['-created_at', 'not a date', 1],
      ['-created_at', '2026-01-01T00:00:00.000Z', 2 ** 40],
      ['-created_at', '0000-01-01T00:00:00.000Z', 1],
      ['priority', 'urgent', 1],
      ['due_date', 7, 1],
      ['-created_at', null, 1],
    ];
    for (const parts of taskCursors) expectField(await call(app, user, 'GET', `/api/tasks?sort=${parts[0]}&cursor=${forge(parts)}`), 'cursor');
    expectField(await call(app, user, 'GET', '/api/tasks?cursor=%%%'), 'cursor');
    for (const parts of [['2026-01-01T00:00:00.000Z', 'not-a-uuid'], ['yesterday', randomUUID()], [1, 2], []]) {
      expectField(await call(app, user, 'GET', `/api/conversations?cursor=${forge(parts)}`), 'cursor');
    }
  });

  it.each(['0000-01-01', '2026-02-30', '2026-02-29', '2026-13-01', '10000-01-01', '2026-01-01T24:00:00Z', '2026-01-01T12:60:00Z', '2026-1-1'])(
    'refuses the due_date %s',
    async (due_date) => {
      expectField(await call(app, user, 'POST', '/api/tasks', { title: 'dated', due_date }), 'due_date');
      expectField(await call(app, user, 'GET', `/api/tasks?due_before=${due_date}`), 'due_before');
    },
  );

  it.each(['2028-02-29', '0001-01-01', '9999-12-31', '2026-11-25T17:00:00-08:00'])('accepts the due_date %s', async (due_date) => {
    expect((await call(app, user, 'POST', '/api/tasks', { title: 'dated', due_date })).status).toBe(201);
  });

  it('takes an empty body with any Content-Type as no body', async () => {
    const task = (await call(app, user, 'POST', '/api/tasks', { title: 'toggle me' })).body.task;
    for (const contentType of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
      const created = await app.inject({ method: 'POST', url: '/api/conversations', headers: { ...user.auth, 'content-type': contentType }, payload: '' });
      expect([contentType, created.statusCode, created.body]).toEqual([contentType, 201, expect.any(String)]);
      const toggled = await app.inject({
        method: 'PATCH',
        url: `/api/tasks/${task.id}/complete`,
        headers: { ...user.auth, 'content-type': contentType },
        payload: '',
      });
      expect(toggled.statusCode).toBe(200);
    }
    // A route whose body is required still says which field is missing; a body of another type is refused.
    const empty = await app.inject({ method: 'POST', url: '/api/tasks', headers: { ...user.auth, 'content-type': 'application/json' }, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('VALIDATION_ERROR');
    const text = await app.inject({ method: 'POST', url: '/api/tasks', headers: { ...user.auth, 'content-type': 'text/plain' }, payload: 'title=x' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
