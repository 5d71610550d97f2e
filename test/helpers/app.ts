// Builds the real app on the worker's database, plus small helpers for REST calls.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { type AppOverrides, buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config/config.ts';
import { testDatabaseUrl } from './db.ts';

export const testJwtSecret = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export async function testConfig(env: Record<string, string> = {}): Promise<Config> {
  const config = loadConfig({ RATE_LIMITS: 'off', ASSISTANT: 'offline', ASSISTANT_STREAM_DELAY_MS: '0', LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env });
  return { ...config, databaseUrl: config.databaseUrl ?? (await testDatabaseUrl()), jwtSecret: config.jwtSecret ?? testJwtSecret };
}

export async function createTestApp(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  return buildApp(await testConfig(env), { poolMax: 5, ...overrides });
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  auth: { authorization: string };
}

export async function signup(app: FastifyInstance, name = 'Test'): Promise<TestUser> {
  const email = `u${randomUUID().slice(0, 12)}@example.com`;
  const password = 'correct horse battery';
  const res = await app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email, password, name } });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return {
    id: body.user.id,
    email,
    password,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    auth: { authorization: `Bearer ${body.accessToken}` },
  };
}

/** app.inject with a user's token, returning status and parsed JSON. */
export async function call(app: FastifyInstance, user: TestUser | undefined, method: InjectOptions['method'], url: string, payload?: unknown) {
  const res = await app.inject({ method, url, headers: user?.auth, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) });
  return { status: res.statusCode, body: res.body ? (res.json() as any) : null, headers: res.headers };
}

/** The app (not listening) for the tests of one describe block, built before them and closed after. */
export function testApp(...args: Parameters<typeof createTestApp>) {
  const suite = {} as { app: FastifyInstance };
  beforeAll(async () => {
    suite.app = await createTestApp(...args);
  });
  afterAll(() => suite.app?.close());
  return suite;
}

/** A new user whose time zone is `timezone` (an IANA name). */
export async function userInZone(app: FastifyInstance, timezone: string): Promise<TestUser> {
  const user = await signup(app);
  const res = await call(app, user, 'PATCH', '/api/auth/me', { timezone });
  if (res.status !== 200) throw new Error(`setting the zone failed: ${res.status} ${JSON.stringify(res.body)}`);
  return user;
}

/** A list of `owner`'s that each of `members` joined with their role. */
export async function sharedList(app: FastifyInstance, owner: TestUser, ...members: [TestUser, 'editor' | 'viewer'][]): Promise<{ id: string }> {
  const list = (await call(app, owner, 'POST', '/api/lists', { name: 'Shared' })).body.list;
  for (const [member, role] of members) {
    const invitation = (await call(app, owner, 'POST', `/api/lists/${list.id}/invitations`, { email: member.email, role })).body.invitation;
    await call(app, member, 'POST', `/api/invitations/${invitation.id}/accept`);
  }
  return list;
}
