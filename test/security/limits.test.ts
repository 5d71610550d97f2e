// Limits keyed on what a client cannot forge, one budget per user across all of its sockets and
// POST /api/chat, caps on sockets and replies per user, and the caps every reply has.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signup } from '../helpers/app.ts';
import { PacedProvider } from '../helpers/scripted-provider.ts';
import { connect, listen, listeningApp, record, sendMessage, until, waitFor } from '../helpers/socket.ts';

/** An unsigned token with a random `sub`: what an attacker sends to look like a fresh user. */
const forgedBearer = () => {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: randomUUID(), sid: randomUUID(), exp: 9_999_999_999 })}.`;
};

describe('login and signup limits, counted in PostgreSQL across instances', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  beforeAll(async () => {
    const env = { RATE_LIMITS: 'on', LIMIT_LOGIN_IP: '5/1m', LIMIT_LOGIN_EMAIL: '3/15m', LIMIT_SIGNUP_IP: '3/1h' };
    [a, b] = await Promise.all([createTestApp(env), createTestApp(env)]);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  const login = (app: FastifyInstance, remoteAddress: string, email: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, headers, payload: { email, password: 'wrong password' } });

  it('limits logins per address whatever token the request carries', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      statuses.push((await login(attempt % 2 ? a : b, '10.20.0.1', `nobody${attempt}@example.com`, { authorization: forgedBearer() })).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });

  it('limits logins per email whatever address and instance they come from, the right password included', async () => {
    const user = await signup(a);
    for (const [index, app] of [a, b, a].entries()) expect((await login(app, `10.21.0.${index}`, user.email)).statusCode).toBe(401);
    const limited = await b.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '10.21.0.9',
      payload: { email: user.email.toUpperCase(), password: user.password },
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
    // Another account from the same address is not affected.
    expect((await login(b, '10.21.0.9', 'someone.else@example.com')).statusCode).toBe(401);
  });

  it('limits signups per address (and with them, probing which emails exist)', async () => {
    const signupFrom = (app: FastifyInstance) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        remoteAddress: '10.22.0.1',
        headers: { authorization: forgedBearer() },
        payload: { email: `s${randomUUID()}@example.com`, password: 'long enough 1' },
      });
    const statuses = [];
    for (const app of [a, b, a, b, a]) statuses.push((await signupFrom(app)).statusCode);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
  });

  it('answers a public route normally whatever the Authorization header holds', async () => {
    for (const authorization of ['Bearer', 'Bearer not.a.jwt', 'Basic abc', forgedBearer(), `Bearer ${'x'.repeat(5000)}`]) {
      expect((await a.inject({ method: 'GET', url: '/health', headers: { authorization } })).statusCode).toBe(200);
      const res = await login(a, '10.23.0.1', `h${randomUUID()}@example.com`, { authorization });
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    }
  });
});

describe('one budget per user, shared by every socket and POST /api/chat', () => {
  const suite = listeningApp({ RATE_LIMITS: 'on', LIMIT_MESSAGES: '4:0.01', LIMIT_JOINS: '3:0.01', LIMIT_SOCKETS_USER: '3' });

  it('accepts only the budget of messages however many sockets send them', async () => {
    const { app, url } = suite;
    const user = await signup(app);
    const tabs = await Promise.all([1, 2, 3].map(() => connect(url, user.accessToken)));
    const acks = await Promise.all(
      tabs.flatMap((tab) => [1, 2, 3].map((n) => tab.emitWithAck('message:send', { content: `hello ${n}`, clientId: randomUUID() }))),
    );
    expect(acks.filter((ack) => ack.ok)).toHaveLength(4);
    expect(acks.filter((ack) => !ack.ok && ack.error.code === 'RATE_LIMITED')).toHaveLength(5);
    const chat = await call(app, user, 'POST', '/api/chat', { message: 'and over HTTP?' });
    expect(chat.status).toBe(429);
    expect(chat.headers['retry-after']).toBeDefined();
    // Another user's budget is untouched.
    const other = await signup(app);
    expect((await call(app, other, 'POST', '/api/chat', { message: 'hello' })).status).toBe(200);
    for (const tab of tabs) tab.close();
  });

  it('accepts only the budget of joins however many sockets ask', async () => {
    const { app, url } = suite;
    const user = await signup(app);
    const conversation = (await call(app, user, 'POST', '/api/conversations', {})).body.conversation;
    const tabs = await Promise.all([1, 2].map(() => connect(url, user.accessToken)));
    const acks = await Promise.all(tabs.flatMap((tab) => [1, 2, 3].map(() => tab.emitWithAck('conversation:join', { conversationId: conversation.id }))));
    expect(acks.filter((ack) => ack.ok)).toHaveLength(3);
    expect(acks.filter((ack) => !ack.ok && ack.error.code === 'RATE_LIMITED')).toHaveLength(3);
    for (const tab of tabs) tab.close();
  });

  it('refuses a socket past the cap of open sockets per user, and takes one again when another closes', async () => {
    const { app, url } = suite;
    const user = await signup(app);
    const tabs = await Promise.all([1, 2, 3].map(() => connect(url, user.accessToken)));
    await expect(connect(url, user.accessToken)).rejects.toThrow('too many connections');
    const other = await connect(url, (await signup(app)).accessToken);
    tabs[0]!.close();
    await until(async () => (await app.io.in(`user:${user.id}`).fetchSockets()).length === 2);
    const again = await connect(url, user.accessToken);
    for (const tab of [...tabs, other, again]) tab.close();
  });
});

describe('replies generating at once per user', () => {
  const provider = new PacedProvider(['first ', 'reply.']);
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = await createTestApp({ RATE_LIMITS: 'on', LIMIT_REPLIES_USER: '1' }, { provider });
    url = await listen(app);
  });
  afterAll(() => app.close());

  it("queues a user's reply beyond the cap until one ends, reporting it to a join meanwhile", async () => {
    const user = await signup(app);
    const tab = await connect(url, user.accessToken);
    // Events recorded from before each send: a start can arrive in the same read as the ack.
    const started = record(tab);
    const first = await sendMessage(tab, 'one');
    await until(() => started.some(([name, event]) => name === 'assistant:start' && event.messageId === first.assistantMessageId));
    const second = await sendMessage(tab, 'two');
    const join = await tab.emitWithAck('conversation:join', { conversationId: second.conversationId });
    if (!join.ok) throw new Error('join failed');
    expect(join.streaming).toEqual({ messageId: second.assistantMessageId, seq: -1, content: '', tool_calls: null, tool_results: null });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(provider.requests).toBe(1);
    // Another user is not held by this one's cap.
    const otherTab = await connect(url, (await signup(app)).accessToken);
    const otherStarted = record(otherTab);
    await sendMessage(otherTab, 'mine');
    await until(() => otherStarted.some(([name]) => name === 'assistant:start'));
    await until(() => provider.requests === 2);

    const events = record(tab);
    provider.release(6);
    await waitFor(tab, 'assistant:done', (event) => event.message.id === second.assistantMessageId);
    const firstDone = events.findIndex(([name, event]) => name === 'assistant:done' && event.message.id === first.assistantMessageId);
    const secondStart = events.findIndex(([name, event]) => name === 'assistant:start' && event.messageId === second.assistantMessageId);
    expect(firstDone).toBeGreaterThanOrEqual(0);
    expect(secondStart).toBeGreaterThan(firstDone);
    tab.close();
    otherTab.close();
  });
});

describe('a reply that runs past its time cap', () => {
  const provider = new PacedProvider(['never ', 'released']);
  const suite = listeningApp({ REPLY_TIMEOUT: '300ms' }, { provider });

  it('ends with PROVIDER_TIMEOUT and status error, the user message kept', async () => {
    const { app, url } = suite;
    const user = await signup(app);
    const tab = await connect(url, user.accessToken);
    const sent = await sendMessage(tab, 'take your time');
    const error = await waitFor(tab, 'assistant:error');
    expect(error).toMatchObject({ messageId: sent.assistantMessageId, code: 'PROVIDER_TIMEOUT' });
    const messages = (await call(app, user, 'GET', `/api/conversations/${sent.conversationId}/messages`)).body.messages;
    expect(messages.map((message: any) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'error'],
    ]);
    tab.close();
  });
});
