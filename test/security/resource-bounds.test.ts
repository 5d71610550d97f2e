// Resource bounds: no input reaches past its allowed depth, no frame can throw out of a Socket.IO
// listener, no stored row can break a read.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stopPayload } from '../../src/realtime/events.ts';
import { handle } from '../../src/realtime/handlers/handle.ts';
import { call, signup } from '../helpers/app.ts';
import { connect, emitRaw, listeningApp } from '../helpers/socket.ts';

const nested = (depth: number, inner = '"x"') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

/** Every client-to-server event of the contract. */
const events = ['conversation:join', 'conversation:leave', 'message:send', 'assistant:stop', 'message:edit', 'assistant:regenerate', 'tool:approve'];

/** A well-formed ack: ok true, or ok false with a code and a message (and named fields for a VALIDATION_ERROR). */
const expectWellFormedAck = (args: unknown[]) => {
  expect(args).toHaveLength(1);
  const [ack] = args as [{ ok: unknown; error?: { code: unknown; message: unknown; details?: { field: unknown }[] } }];
  expect(typeof ack.ok).toBe('boolean');
  if (ack.ok) return;
  expect(ack.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
  if (ack.error!.code === 'VALIDATION_ERROR') expect(ack.error!.details!.every((detail) => typeof detail.field === 'string')).toBe(true);
};

describe('untrusted input deeper than 64 levels', () => {
  const suite = listeningApp();

  it('is a VALIDATION_ERROR on every REST body, public routes included, never a 500', async () => {
    const user = await signup(suite.app);
    for (const [url, auth, body] of [
      ['/api/tasks', true, `{"title":${nested(10_000)}}`],
      ['/api/tasks/import', true, `{"format":"json","data":[{"title":${nested(100)}}]}`],
      ['/api/auth/login', false, `{"email":${nested(5_000)},"password":"x"}`],
      ['/api/auth/signup', false, nested(20_000, '{}')],
    ] as const) {
      const res = await suite.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', ...(auth ? user.auth : {}) },
        payload: body,
      });
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 400, 'VALIDATION_ERROR']);
      expect(res.json().error.details[0].message).toMatch(/nested deeper than 64/);
    }
    // 64 levels are fine (the schema then names what is wrong with them).
    const res = await call(suite.app, user, 'POST', '/api/tasks', JSON.parse(`{"title":"ok","x":${nested(62)}}`));
    expect(res.status).toBe(201);
  });

  it('is the ack VALIDATION_ERROR on every socket event, and the server goes on', async () => {
    const user = await signup(suite.app);
    const tab = await connect(suite.url, user.accessToken);
    for (const event of events) {
      // 15,000 levels: within the 32 KB frame, and far past what a recursive walk survives.
      const [ack] = (await emitRaw(tab, event, `{"conversationId":${nested(15_000)}}`)) as [any];
      expect([event, ack.ok, ack.error.code, ack.error.details[0].message]).toEqual([event, false, 'VALIDATION_ERROR', expect.stringMatching(/nested/)]);
      expect((await emitRaw(tab, event, nested(15_000)))[0]).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    }
    expect((await call(suite.app, user, 'GET', '/api/tasks')).status).toBe(200);
    tab.close();
  });

  it('answers random payloads of any shape to every event with a well-formed ack, and lives', async () => {
    const user = await signup(suite.app);
    const tab = await connect(suite.url, user.accessToken);
    // Each payload within 15 KB, so that two of them fit the 32 KB frame (a larger frame ends the connection).
    const payload = fc.oneof(
      fc.json({ maxDepth: 6 }),
      fc.integer({ min: 60, max: 7_000 }).map((depth) => nested(depth, '{"conversationId":"x"}')),
      fc.integer({ min: 60, max: 2_500 }).map((depth) => `{"conversationId":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
      fc.integer({ min: 1, max: 3_000 }).map((width) => `[${Array.from({ length: width }, (_, index) => index).join(',')}]`),
      fc.string({ unit: 'binary', maxLength: 2_000 }).map((text) => JSON.stringify({ conversationId: randomUUID(), content: text, clientId: randomUUID() })),
      fc.constantFrom('null', 'true', '"text"', '[]', '{}', '{"__proto__":{"ok":1}}', '{"constructor":{"prototype":{}}}'),
    );
    const argumentsList = fc.oneof(
      payload,
      fc.constant(''),
      fc.tuple(payload, payload).map(([first, second]) => `${first},${second}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...events), argumentsList, async (event, args) => {
        expectWellFormedAck(await emitRaw(tab, event, args, 2_000));
      }),
      { numRuns: 300 },
    );
    expect(tab.connected).toBe(true);
    expect((await call(suite.app, user, 'GET', '/api/tasks')).status).toBe(200);
    tab.close();
  }, 120_000);

  it('keeps a handler that throws synchronously inside the ack envelope', () => {
    const log = { error: () => undefined } as never;
    const listener = handle({ orm: {} as never, log }, stopPayload, () => {
      throw new Error('thrown before any promise');
    });
    const acks: unknown[] = [];
    expect(() => listener({ conversationId: randomUUID() }, (response: unknown) => acks.push(response))).not.toThrow();
    expect(acks).toEqual([{ ok: false, error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' } }]);
  });
});

describe('due dates at the ends of the calendar', () => {
  const suite = listeningApp();

  it('refuses an instant outside years 1–9999 in UTC even when its local year is inside, and stores nothing', async () => {
    const user = await signup(suite.app);
    for (const due_date of ['9999-12-31T23:00:00-05:00', '0001-01-01T00:30:00+01:00']) {
      const res = await call(suite.app, user, 'POST', '/api/tasks', { title: 'edge', due_date });
      expect([due_date, res.status, res.body.error.details]).toEqual([due_date, 400, [{ field: 'due_date', message: expect.stringMatching(/1–9999/) }]]);
    }
    expect((await call(suite.app, user, 'GET', '/api/tasks')).body.tasks).toEqual([]);
  });

  it('refuses a local time whose instant in the user zone is outside them; a calendar date there is kept', async () => {
    const user = await signup(suite.app);
    await call(suite.app, user, 'PATCH', '/api/auth/me', { timezone: 'Asia/Tokyo' });
    expect((await call(suite.app, user, 'POST', '/api/tasks', { title: 'early', due_date: '0001-01-01T05:00' })).status).toBe(400);
    expect((await call(suite.app, user, 'GET', '/api/tasks?due_before=0001-01-01T05:00')).body.error.details[0].field).toBe('due_before');
    const early = await call(suite.app, user, 'POST', '/api/tasks', { title: 'first day', due_date: '0001-01-01' });
    expect([early.status, early.body.task.due_date]).toEqual([201, '0001-01-01']);
    // A later zone change moves calendar dates, still within the years every read can hold.
    await call(suite.app, user, 'PATCH', '/api/auth/me', { timezone: 'Pacific/Pago_Pago' });
    const late = await call(suite.app, user, 'POST', '/api/tasks', { title: 'last day', due_date: '9999-12-31' });
    expect(late.status).toBe(201);
    await call(suite.app, user, 'PATCH', '/api/auth/me', { timezone: 'Asia/Tokyo' });
    const list = await call(suite.app, user, 'GET', '/api/tasks?sort=due_date');
    expect([list.status, list.body.tasks.map((task: any) => task.due_date)]).toEqual([200, ['0001-01-01', '9999-12-31']]);
    for (const format of ['json', 'csv', 'ics'])
      expect((await suite.app.inject({ url: `/api/tasks/export?format=${format}`, headers: user.auth })).statusCode).toBe(200);
  });

  it('reports an edge instant in an import on its row and creates the others', async () => {
    const user = await signup(suite.app);
    const res = await call(suite.app, user, 'POST', '/api/tasks/import', {
      format: 'json',
      data: [
        { title: 'fine', due_date: '2030-01-01' },
        { title: 'edge', due_date: '9999-12-31T23:00:00-05:00' },
      ],
    });
    expect(res.body).toEqual({ imported: 1, skipped: 1, errors: [{ line: 2, message: expect.stringMatching(/^due_date: .*1–9999/) }] });
  });

  it('has the database refuse such an instant whatever path writes it', async () => {
    const user = await signup(suite.app);
    await expect(
      suite.app.orm.em.fork().execute(`insert into tasks (user_id, number, title, due_date) values ('${user.id}', 99, 'x', '10000-01-01T00:00:00Z')`),
    ).rejects.toThrow(/tasks_due_date_check/);
  });
});
