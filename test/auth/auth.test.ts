import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { refreshGraceMs } from '../../src/auth/auth.service.ts';
import { RefreshToken } from '../../src/db/entities/index.ts';
import { call, createTestApp, signup, type TestUser, testApp } from '../helpers/app.ts';
import { connect, listen, waitFor } from '../helpers/socket.ts';

const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });
const me = (app: FastifyInstance, accessToken: string) =>
  app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(accessToken) }).then((res) => res.statusCode);

describe('auth', () => {
  const suite = testApp();

  it('signs up with a normalized email and never exposes the hash', async () => {
    const res = await call(suite.app, undefined, 'POST', '/api/auth/signup', { email: '  Mixed.Case@Example.COM ', password: 'long enough pw', name: 'Ada' });
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({
      id: expect.any(String),
      email: 'mixed.case@example.com',
      name: 'Ada',
      timezone: 'UTC',
      confirm_destructive: false,
      created_at: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/hash/i);
    const again = await call(suite.app, undefined, 'POST', '/api/auth/signup', { email: 'MIXED.case@example.com', password: 'another pw 123' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('EMAIL_TAKEN');
  });

  it.each([
    [{ email: 'not-an-email', password: 'long enough' }, 'email'],
    [{ email: 'a@example.com', password: 'short' }, 'password'],
    [{ email: 'a@example.com', password: 'x'.repeat(129) }, 'password'],
    [{ password: 'long enough' }, 'email'],
    [{ email: 'a@example.com', password: 'long enough', name: 42 }, 'name'],
  ])('rejects signup body %o naming %s', async (body, field) => {
    const res = await call(suite.app, undefined, 'POST', '/api/auth/signup', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
  });

  it('logs in with the normalized email; wrong password and unknown email get the same 401', async () => {
    const user = await signup(suite.app);
    const ok = await call(suite.app, undefined, 'POST', '/api/auth/login', { email: user.email.toUpperCase(), password: user.password });
    expect(ok.status).toBe(200);
    expect(ok.body.user.id).toBe(user.id);
    const wrong = await call(suite.app, undefined, 'POST', '/api/auth/login', { email: user.email, password: 'wrong password' });
    const unknown = await call(suite.app, undefined, 'POST', '/api/auth/login', { email: 'nobody@example.com', password: 'wrong password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('answers /me for a valid token and 401 UNAUTHORIZED otherwise', async () => {
    const user = await signup(suite.app);
    const me = await call(suite.app, user, 'GET', '/api/auth/me');
    expect(me.body.user).toMatchObject({ id: user.id, email: user.email });
    for (const authorization of [undefined, 'Bearer nonsense', `Bearer ${user.accessToken}x`, `Basic ${user.accessToken}`]) {
      const res = await suite.app.inject({ method: 'GET', url: '/api/auth/me', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
    }
    const forged = suite.app.jwt.sign({ sub: user.id, sid: 'x' }, { algorithm: 'HS384' } as never);
    expect((await suite.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${forged}` } })).statusCode).toBe(401);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  /** Moves the service's clock past the grace period of concurrent refreshes. */
  const afterGrace = () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + refreshGraceMs + 1_000);
  };

  it('rotates refresh tokens; a spent one presented after the grace period ends the session', async () => {
    const user = await signup(suite.app);
    const first = await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: user.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect(await me(suite.app, first.body.accessToken)).toBe(200);
    const second = await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
    afterGrace();
    // The first token is spent: presenting it again revokes every token of the session, access tokens included.
    expect((await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(401);
    expect((await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: second.body.refreshToken })).status).toBe(401);
    for (const token of [user.accessToken, first.body.accessToken, second.body.accessToken]) expect(await me(suite.app, token)).toBe(401);
  });

  it('answers two refreshes of one token within the grace period (two tabs waking up) with the same new pair', async () => {
    const user = await signup(suite.app);
    const results = await Promise.all([1, 2].map(() => call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: user.refreshToken })));
    expect(results.map((res) => res.status)).toEqual([200, 200]);
    expect(results[1]!.body).toEqual(results[0]!.body);
    const late = await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: user.refreshToken });
    expect(late.body).toEqual(results[0]!.body);
    expect(await me(suite.app, results[0]!.body.accessToken)).toBe(200);
    const next = await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: results[0]!.body.refreshToken });
    expect(next.status).toBe(200);
    expect(await me(suite.app, next.body.accessToken)).toBe(200);
  });

  it('logs out: the refresh token and every access token of that session are refused at once, another login still works', async () => {
    const user = await signup(suite.app);
    const other = await call(suite.app, undefined, 'POST', '/api/auth/login', { email: user.email, password: user.password });
    const refreshed = await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: user.refreshToken });
    expect((await call(suite.app, undefined, 'POST', '/api/auth/logout', { refreshToken: refreshed.body.refreshToken })).status).toBe(204);
    expect(await me(suite.app, user.accessToken)).toBe(401);
    expect(await me(suite.app, refreshed.body.accessToken)).toBe(401);
    expect((await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: refreshed.body.refreshToken })).status).toBe(401);
    expect(await me(suite.app, other.body.accessToken)).toBe(200);
    expect((await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: other.body.refreshToken })).status).toBe(200);
    expect((await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: 'garbage' })).status).toBe(401);
    expect((await call(suite.app, undefined, 'POST', '/api/auth/logout', {})).status).toBe(400);
  });
});

describe('ending a session on every instance', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  let urlB: string;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestApp(), createTestApp()]);
    await listen(a);
    urlB = await listen(b);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  it("disconnects the session's sockets and refuses its tokens on the other instance, keeping other sessions", async () => {
    const user: TestUser = await signup(a);
    const other = await call(a, undefined, 'POST', '/api/auth/login', { email: user.email, password: user.password });
    const tab = await connect(urlB, user.accessToken);
    const otherTab = await connect(urlB, other.body.accessToken);
    const dropped = new Promise<string>((resolve) => tab.once('disconnect', resolve));
    expect((await call(a, undefined, 'POST', '/api/auth/logout', { refreshToken: user.refreshToken })).status).toBe(204);
    expect(await dropped).toBe('io server disconnect');
    expect(await me(b, user.accessToken)).toBe(401);
    await expect(connect(urlB, user.accessToken)).rejects.toThrow('unauthorized');
    // The other login of the same user is untouched.
    expect(otherTab.connected).toBe(true);
    const created = waitFor(otherTab, 'task:created');
    await call(b, { ...user, auth: bearer(other.body.accessToken) }, 'POST', '/api/tasks', { title: 'still here' });
    expect((await created).task.title).toBe('still here');
    otherTab.close();
  });

  it('learns of sessions ended while it was not running', async () => {
    const user = await signup(a);
    expect((await call(a, undefined, 'POST', '/api/auth/logout', { refreshToken: user.refreshToken })).status).toBe(204);
    const late = await createTestApp();
    try {
      expect(await me(late, user.accessToken)).toBe(401);
    } finally {
      await late.close();
    }
  });
});

describe('auth with short-lived tokens and rate limits on', () => {
  const suite = testApp({ RATE_LIMITS: 'on', ACCESS_TOKEN_TTL: '1s', REFRESH_TOKEN_TTL: '1s' });

  it('refuses expired access and refresh tokens, and a new login clears the expired ones', async () => {
    const user = await signup(suite.app);
    expect((await call(suite.app, user, 'GET', '/api/auth/me')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const res = await call(suite.app, user, 'GET', '/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect((await call(suite.app, undefined, 'POST', '/api/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(401);
    await suite.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.1.1.1', payload: { email: user.email, password: user.password } });
    expect(await suite.app.orm.em.fork().count(RefreshToken, { user: user.id })).toBe(1);
  });

  it('answers repeated failed logins with 429 RATE_LIMITED and Retry-After', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof suite.app.inject>> | undefined;
    for (let attempt = 0; attempt < 12; attempt++) {
      last = await suite.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.9.8.7',
        payload: { email: 'x@example.com', password: 'nope nope' },
      });
      statuses.push(last.statusCode);
    }
    expect(statuses.slice(0, 9).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(last!.json().error.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    // Without TRUST_PROXY a forged X-Forwarded-For does not buy a fresh budget.
    const forged = await suite.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '10.9.8.7',
      headers: { 'x-forwarded-for': '1.2.3.4' },
      payload: { email: 'x@example.com', password: 'nope nope' },
    });
    expect(forged.statusCode).toBe(429);
  });
});
