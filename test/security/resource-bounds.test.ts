// Resource bounds: no input reaches past its allowed depth, no frame can throw out of a Socket.IO
// listener, no stored row can break a read, and every request and event costs what it is allowed.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { executeBound, withStatementTimeout } from '../../src/db/sql.ts';
import { stopPayload } from '../../src/realtime/events.ts';
import { handle } from '../../src/realtime/handlers/handle.ts';
import type { TaskDto } from '../../src/tasks/tasks.schemas.ts';
import { TasksService } from '../../src/tasks/tasks.service.ts';
import { call, createTestApp, signup, type TestUser, userInZone } from '../helpers/app.ts';
import { connect, emitRaw, listen, listeningApp, sendMessage } from '../helpers/socket.ts';

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
    const user = await userInZone(suite.app, 'Asia/Tokyo');
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
      suite.app.orm.em
        .fork()
        .execute(`insert into tasks (list_id, number, title, due_date) select id, 99, 'x', '10000-01-01T00:00:00Z' from lists where owner_id = '${user.id}'`),
    ).rejects.toThrow(/tasks_due_date_check/);
  });
});

describe('exports', () => {
  const suite = listeningApp();
  const download = (user: TestUser, url: string) => suite.app.inject({ method: 'GET', url, headers: user.auth });

  it('stream every task, batch after batch, into one well-formed file of each format', async () => {
    const user = await signup(suite.app);
    // 1,200 tasks: three batches of the reader, so every seam between batches is in the file.
    for (let start = 0; start < 1_200; start += 600) {
      const data = Array.from({ length: 600 }, (_, index) => ({ title: `task ${start + index + 1}` }));
      expect((await call(suite.app, user, 'POST', '/api/tasks/import', { format: 'json', data })).body.imported).toBe(600);
    }
    const json = await download(user, '/api/tasks/export?format=json');
    expect(json.headers['transfer-encoding']).toBe('chunked');
    const titles = json.json().tasks.map((task: TaskDto) => task.title);
    expect([titles.length, titles[0], titles.at(-1)]).toEqual([1_200, 'task 1', 'task 1200']);
    const csv = (await download(user, '/api/tasks/export?format=csv')).body;
    expect(csv.trim().split('\n')).toHaveLength(1_201);
    expect(csv.match(/^\uFEFF?number,title/gm)).toHaveLength(1);
    const ics = (await download(user, '/api/tasks/export?format=ics')).body;
    expect([ics.match(/BEGIN:VTODO/g)?.length, ics.startsWith('BEGIN:VCALENDAR'), ics.trimEnd().endsWith('END:VCALENDAR')]).toEqual([1_200, true, true]);
    // An empty list is still a whole file.
    const nobody = await signup(suite.app);
    expect((await download(nobody, '/api/tasks/export?format=json')).json()).toEqual({ tasks: [] });
  });

  it('neutralise CSV cells a spreadsheet would run as formulas, and an import gives them back as they were', async () => {
    const user = await signup(suite.app);
    const titles = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2', '@SUM(A1)', '\tindented', "'=already quoted", 'plain - text'];
    for (const title of titles) await call(suite.app, user, 'POST', '/api/tasks', { title, description: '=cmd|calc' });
    const csv = (await download(user, '/api/tasks/export?format=csv')).body;
    const cells = csv.split('\n').slice(1, -1);
    for (const line of cells) expect(line.split(',')[1]).not.toMatch(/^"?[=+\-@\t\r]/);
    expect(csv).toContain(`'=cmd|calc`);
    const copy = await signup(suite.app);
    expect((await call(suite.app, copy, 'POST', '/api/tasks/import', { format: 'csv', data: csv })).body).toMatchObject({ imported: titles.length });
    const imported = (await call(suite.app, copy, 'GET', '/api/tasks?sort=created_at&limit=100')).body.tasks;
    expect(imported.map((task: TaskDto) => task.title)).toEqual(titles.map((title) => title.trim()));
    expect(imported[0].description).toBe('=cmd|calc');
  });

  it('escape Markdown: a message cannot forge a heading or leave a code fence open', async () => {
    const user = await signup(suite.app);
    const content = '# Forged heading\n```\n## You · 2020-01-01\n> quote\n1. list\n<script>alert(1)</script>';
    const conversation = (await call(suite.app, user, 'POST', '/api/conversations', { title: '# Title ` with *marks*' })).body.conversation;
    const tab = await connect(suite.url, user.accessToken);
    await sendMessage(tab, content, conversation.id);
    tab.close();
    const markdown = (await download(user, `/api/conversations/${conversation.id}/export?format=markdown`)).body;
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('# \\# Title \\` with \\*marks\\*');
    expect(lines.filter((line) => /^#{1,6} /.test(line)).every((line) => /^# \\#|^## (You|Assistant) · \d{4}-/.test(line))).toBe(true);
    expect(lines.some((line) => line.startsWith('```') || line.startsWith('> quote') || line.startsWith('1.') || line.includes('<script>'))).toBe(false);
    expect(markdown).toContain('\\# Forged heading');
  });

  it('run one at a time per user, and a user has at most LIMIT_TASKS_USER tasks', async () => {
    const limited = await createTestApp({ RATE_LIMITS: 'on', LIMIT_TASKS_USER: '3' });
    try {
      const user = await signup(limited);
      const answers = await Promise.all(
        ['json', 'csv', 'ics'].map((format) => limited.inject({ url: `/api/tasks/export?format=${format}`, headers: user.auth })),
      );
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 429, 429]);
      expect(answers.find((answer) => answer.statusCode === 429)!.headers['retry-after']).toBe('1');
      // The slot is given back when the download ends.
      expect((await limited.inject({ url: '/api/tasks/export', headers: user.auth })).statusCode).toBe(200);

      for (const title of ['a', 'b', 'c']) expect((await call(limited, user, 'POST', '/api/tasks', { title })).status).toBe(201);
      const over = await call(limited, user, 'POST', '/api/tasks', { title: 'd' });
      expect([over.status, over.body.error.code]).toEqual([409, 'QUOTA_EXCEEDED']);
      const imported = await call(limited, user, 'POST', '/api/tasks/import', { format: 'json', data: [{ title: 'e' }] });
      expect(imported.status).toBe(409);
      await call(limited, user, 'DELETE', '/api/tasks/1');
      expect((await call(limited, user, 'POST', '/api/tasks', { title: 'd' })).status).toBe(201);
    } finally {
      await limited.close();
    }
  });
});

describe('search cost', () => {
  it('has at most LIMIT_SEARCHES_USER searches of a user at once; others wait for no one', async () => {
    const limited = await createTestApp({ RATE_LIMITS: 'on' });
    try {
      const [user, other] = [await signup(limited), await signup(limited)];
      const answers = await Promise.all(Array.from({ length: 6 }, () => call(limited, user, 'GET', '/api/search?q=milk')));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2);
      expect((await call(limited, other, 'GET', '/api/search?q=milk')).status).toBe(200);
      expect((await call(limited, user, 'GET', '/api/search?q=milk')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('cancels a statement that runs past its timeout as UNAVAILABLE, with Retry-After', async () => {
    const suite = await createTestApp();
    try {
      const em = suite.orm.em.fork();
      const slow = withStatementTimeout(em, 100, (tx) => executeBound(tx, 'select pg_sleep(2)', []));
      await expect(slow).rejects.toMatchObject({ code: 'UNAVAILABLE', retryAfterSeconds: 5 });
      // The timeout was the transaction's own: the connection goes on without it.
      expect(await executeBound(em, 'select current_setting($1) as timeout', ['statement_timeout'])).toEqual([{ timeout: '0' }]);
    } finally {
      await suite.close();
    }
  });
});

describe('budgets', () => {
  it('refuses an address whose authentications failed too often before looking its token up, on REST, MCP and handshakes alike', async () => {
    const limited = await createTestApp({ RATE_LIMITS: 'on', LIMIT_AUTH_FAILURES_IP: '3:0.01' });
    const url = await listen(limited);
    try {
      const user = await signup(limited);
      const tryToken = (token: string, remoteAddress: string) =>
        limited.inject({ url: '/api/tasks', remoteAddress, headers: { authorization: `Bearer ${token}` } }).then((res) => res.statusCode);
      const made = `tsk_${'x'.repeat(43)}`;
      const statuses = [];
      for (let attempt = 0; attempt < 5; attempt++) statuses.push(await tryToken(made, '10.30.0.1'));
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      // Spent: not even a good token is looked at from there now; another address is not affected.
      expect(await tryToken(user.accessToken, '10.30.0.1')).toBe(429);
      expect(await tryToken(user.accessToken, '10.30.0.2')).toBe(200);
      const mcp = await limited.inject({ method: 'POST', url: '/mcp', remoteAddress: '10.30.0.1', headers: { authorization: `Bearer ${made}` }, payload: {} });
      expect([mcp.statusCode, mcp.json().error.data.code]).toEqual([429, 'RATE_LIMITED']);
      // Handshakes come from 127.0.0.1 here: three refusals, then the address is spent.
      const refusals = [];
      for (let attempt = 0; attempt < 4; attempt++)
        refusals.push(
          await connect(url, made).then(
            () => 'connected',
            (error: Error) => error.message,
          ),
        );
      expect(refusals).toEqual(['unauthorized', 'unauthorized', 'unauthorized', 'rate limited']);
    } finally {
      await limited.close();
    }
  });

  it('has assistant:stop, conversation:leave and tool:approve spend the command budget', async () => {
    const limited = await createTestApp({ RATE_LIMITS: 'on', LIMIT_COMMANDS: '3:0.01' });
    const url = await listen(limited);
    try {
      const user = await signup(limited);
      const tab = await connect(url, user.accessToken);
      const conversationId = randomUUID();
      const codes = [];
      for (const event of ['assistant:stop', 'conversation:leave', 'assistant:stop', 'assistant:stop'] as const) {
        const ack = await tab.emitWithAck(event, { conversationId });
        codes.push(ack.ok ? 'ok' : ack.error.code);
      }
      const approve = await tab.emitWithAck('tool:approve', { conversationId, toolCallId: 'call_1', approved: true });
      expect([...codes, approve.ok ? 'ok' : approve.error.code]).toEqual(['NOT_FOUND', 'ok', 'NOT_FOUND', 'RATE_LIMITED', 'RATE_LIMITED']);
      tab.close();
    } finally {
      await limited.close();
    }
  });

  it("has at most LIMIT_REQUESTS_USER of a user's requests in progress at once", async () => {
    const limited = await createTestApp({ RATE_LIMITS: 'on', LIMIT_REQUESTS_USER: '2' });
    try {
      const [user, other] = [await signup(limited), await signup(limited)];
      const statuses = (await Promise.all(Array.from({ length: 6 }, () => call(limited, user, 'GET', '/api/tasks')))).map((answer) => answer.status);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2);
      expect((await call(limited, other, 'GET', '/api/tasks')).status).toBe(200);
      // Every slot came back.
      expect((await Promise.all([call(limited, user, 'GET', '/api/tasks'), call(limited, user, 'GET', '/api/tasks')])).map((answer) => answer.status)).toEqual([
        200, 200,
      ]);
    } finally {
      await limited.close();
    }
  });
});

describe('personal access tokens and the session that minted them', () => {
  const suite = listeningApp();

  it('ask for the password to be minted', async () => {
    const user = await signup(suite.app);
    const missing = await call(suite.app, user, 'POST', '/api/tokens', { name: 'script' });
    expect([missing.status, missing.body.error.details[0].field]).toEqual([400, 'password']);
    const wrong = await call(suite.app, user, 'POST', '/api/tokens', { name: 'script', password: 'not my password' });
    expect([wrong.status, wrong.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await call(suite.app, user, 'POST', '/api/tokens', { name: 'script', password: user.password })).status).toBe(201);
  });

  it('die with the session that minted them when its refresh token is replayed; others live on', async () => {
    const user = await signup(suite.app);
    const login = (await call(suite.app, undefined, 'POST', '/api/auth/login', { email: user.email, password: user.password })).body;
    const mint = async (accessToken: string) =>
      (
        await suite.app.inject({
          method: 'POST',
          url: '/api/tokens',
          headers: { authorization: `Bearer ${accessToken}` },
          payload: { name: 'x', password: user.password },
        })
      ).json().secret as string;
    const [stolen, kept] = [await mint(user.accessToken), await mint(login.accessToken)];
    const bearer = (secret: string) => ({ ...user, auth: { authorization: `Bearer ${secret}` } });
    // The signup session's refresh token is used, then replayed once the grace period is over.
    expect((await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(200);
    await suite.app.orm.em.fork().execute(`update refresh_tokens set used_at = now() - interval '1 minute' where used_at is not null`);
    expect((await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(401);
    expect((await call(suite.app, bearer(stolen), 'GET', '/api/tasks')).status).toBe(401);
    expect((await call(suite.app, bearer(kept), 'GET', '/api/tasks')).status).toBe(200);
  });
});

describe('slow requests', () => {
  it('closes a connection whose body trickles past REQUEST_TIMEOUT', async () => {
    const app = await createTestApp({ REQUEST_TIMEOUT: '1s' });
    const url = new URL(await listen(app));
    try {
      const socket = net.connect(Number(url.port), url.hostname);
      await once(socket, 'connect');
      socket.write('POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
      const trickle = setInterval(() => socket.write(' '), 200);
      const started = Date.now();
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk) => (text += chunk));
        // A write of the trickle may meet the closed connection (ECONNRESET): the answer and the close are what count.
        socket.on('error', () => {});
        socket.on('close', () => resolve(text));
      });
      clearInterval(trickle);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await app.close();
    }
  });
});

describe('smaller findings', () => {
  const suite = listeningApp({ PUBLIC_URL: 'http://localhost:3000' });
  /** Posts a JSON-RPC body to /mcp as a new user would, through this server's own name. */
  const mcpPoster = async () => {
    const user = await signup(suite.app);
    return (payload: string, headers: Record<string, string> = {}) =>
      suite.app.inject({
        method: 'POST',
        url: '/mcp',
        headers: {
          host: 'localhost:3000',
          authorization: `Bearer ${user.accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        payload,
      });
  };

  it('sends nosniff with Engine.IO answers too', async () => {
    const res = await fetch(`${suite.url}/socket.io/?EIO=4&transport=polling`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers a path no route has with 404 in the API shape', async () => {
    const user = await signup(suite.app);
    const res = await call(suite.app, user, 'GET', '/api//tokens');
    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('answers malformed JSON on /mcp with JSON-RPC -32700, and takes only its own origin and CORS_ORIGINS', async () => {
    const post = await mcpPoster();
    const malformed = await post('{"jsonrpc": "2.0", "id": 1, "method":');
    expect([malformed.statusCode, malformed.json().error.code, malformed.json().id]).toEqual([400, -32700, null]);
    const ping = '{"jsonrpc":"2.0","id":1,"method":"ping"}';
    expect((await post(ping, { origin: 'http://localhost:3000' })).statusCode).toBe(200);
    expect((await post(ping, { origin: 'http://localhost:5173' })).statusCode).toBe(403);
    expect((await post(ping, { origin: 'http://127.0.0.1:8080' })).statusCode).toBe(403);
  });

  it('hides what an MCP tool call failed on: our code and a plain sentence', async () => {
    const post = await mcpPoster();
    // A failure of ours that is no AppError (as a bad date once was), thrown where the tool runs.
    const failure = vi.spyOn(TasksService.prototype, 'create').mockRejectedValueOnce(new RangeError('Invalid time value'));
    const res = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'add_task', arguments: { title: 'x' } } }));
    failure.mockRestore();
    const result = JSON.parse(/data: (.*)/.exec(res.body)?.[1] ?? res.body).result;
    expect(result).toMatchObject({ isError: true, structuredContent: { error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' } } });
    expect(JSON.stringify(result)).not.toMatch(/Invalid time value|RangeError/);
  });
});
