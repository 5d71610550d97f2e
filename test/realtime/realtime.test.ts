import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signup, type TestUser } from '../helpers/app.ts';
import { type ClientSocket, connect, listen, listeningApp, record, sendMessage, until, waitFor } from '../helpers/socket.ts';

describe('realtime gateway with the offline assistant', () => {
  let app: FastifyInstance;
  let url: string;
  const sockets: ClientSocket[] = [];
  const open = async (user: TestUser) => {
    const socket = await connect(url, user.accessToken);
    sockets.push(socket);
    return socket;
  };
  beforeAll(async () => {
    app = await createTestApp();
    url = await listen(app);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(() => app.close());

  it('refuses a missing, bad, tampered or expired token with connect_error "unauthorized"', async () => {
    const user = await signup(app);
    const expired = app.jwt.sign({ sub: user.id, iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 60 } as never);
    for (const token of [undefined, '', 'nope', `${user.accessToken}x`, expired]) {
      await expect(connect(url, token)).rejects.toThrow('unauthorized');
    }
  });

  it('streams a whole turn: ack, start, gap-free deltas, tool call and result, done equal to the deltas', async () => {
    const user = await signup(app);
    const tab = await open(user);
    const events = record(tab);
    const done = waitFor(tab, 'assistant:done');
    const ack = await tab.emitWithAck('message:send', { content: 'Add a task to water the plants tomorrow', clientId: randomUUID() });
    expect(ack).toMatchObject({
      ok: true,
      conversationId: expect.any(String),
      assistantMessageId: expect.any(String),
      message: { role: 'user', status: 'complete', content: 'Add a task to water the plants tomorrow' },
    });
    if (!ack.ok) return;
    const final = (await done).message;
    const names = events.map(([name]) => name);
    const order = ['message:new', 'assistant:start', 'assistant:tool_call', 'assistant:tool_result', 'assistant:delta', 'assistant:done'].map((name) =>
      names.indexOf(name),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const deltas = events.filter(([name]) => name === 'assistant:delta').map(([, payload]) => payload);
    expect(deltas.map((delta) => delta.seq)).toEqual(deltas.map((_, index) => index));
    expect(deltas.every((delta) => delta.messageId === ack.assistantMessageId && delta.conversationId === ack.conversationId)).toBe(true);
    const toolCall = events.find(([name]) => name === 'assistant:tool_call')![1];
    const toolResult = events.find(([name]) => name === 'assistant:tool_result')![1];
    expect(toolCall).toMatchObject({ name: 'add_task', arguments: { title: 'Water the plants', due_date: expect.any(String) } });
    expect(toolResult).toMatchObject({ toolCallId: toolCall.toolCallId, ok: true, result: { task_number: 1, status: 'created' } });
    expect(final).toMatchObject({ id: ack.assistantMessageId, status: 'complete', content: deltas.map((delta) => delta.text).join('') });
    const stored = (await call(app, user, 'GET', `/api/conversations/${ack.conversationId}/messages`)).body.messages;
    expect(stored.at(-1)).toEqual(final);
  });

  it("reaches every tab of the user: task events from chat and REST, conversation events, the room's messages", async () => {
    const user = await signup(app);
    const [tab1, tab2] = [await open(user), await open(user)];
    const tab2Events = record(tab2);
    const ack = await sendMessage(tab1, 'add buy milk');
    await until(() => tab2Events.some(([name]) => name === 'task:created'));
    const join = await tab2.emitWithAck('conversation:join', { conversationId: ack.conversationId });
    expect(join).toMatchObject({ ok: true, conversation: { id: ack.conversationId }, has_more: false });

    const newMessage = waitFor(tab2, 'message:new');
    const tab2Done = waitFor(tab2, 'assistant:done');
    await tab1.emitWithAck('message:send', { conversationId: ack.conversationId, content: 'show my tasks', clientId: randomUUID() });
    expect((await newMessage).message.content).toBe('show my tasks');
    expect((await tab2Done).message.content).toContain('Buy milk');

    await call(app, user, 'POST', '/api/tasks', { title: 'from REST' });
    await call(app, user, 'PATCH', '/api/tasks/2', { priority: 'urgent' });
    await call(app, user, 'DELETE', '/api/tasks/2');
    await call(app, user, 'PATCH', `/api/conversations/${ack.conversationId}`, { title: 'Renamed' });
    await call(app, user, 'DELETE', `/api/conversations/${ack.conversationId}`);
    await until(() => tab2Events.some(([name]) => name === 'conversation:deleted'));
    const names = tab2Events.map(([name, payload]) => `${name}${payload.task ? `:${payload.task.title}` : ''}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'task:created:Buy milk',
        'task:created:from REST',
        'task:updated:from REST',
        'task:deleted',
        'conversation:updated',
        'conversation:deleted',
      ]),
    );
    expect(tab2Events.find(([name]) => name === 'task:deleted')![1]).toEqual({ id: expect.any(String), number: 2, list_id: expect.any(String) });
    const other = await open(await signup(app));
    const otherEvents = record(other);
    await call(app, user, 'POST', '/api/tasks', { title: 'private' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(otherEvents).toEqual([]);
  });

  it("answers NOT_FOUND for another user's conversation on join, send and stop", async () => {
    const alice = await signup(app);
    const conversation = (await call(app, alice, 'POST', '/api/conversations', { title: 'mine' })).body.conversation;
    const bob = await open(await signup(app));
    for (const [event, payload] of [
      ['conversation:join', { conversationId: conversation.id }],
      ['message:send', { conversationId: conversation.id, content: 'hi', clientId: randomUUID() }],
      ['assistant:stop', { conversationId: conversation.id }],
      ['conversation:join', { conversationId: randomUUID() }],
    ] as const) {
      const answer = await bob.emitWithAck(event as 'conversation:join', payload as never);
      expect(answer, event).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Conversation not found' } });
    }
  });

  it('treats a repeated clientId as a retry: same ack, nothing created twice', async () => {
    const user = await signup(app);
    const tab = await open(user);
    const clientId = randomUUID();
    const first = await tab.emitWithAck('message:send', { content: 'add call the bank', clientId });
    await waitFor(tab, 'assistant:done');
    const [again, concurrentA, concurrentB] = await Promise.all([
      tab.emitWithAck('message:send', { content: 'add call the bank', clientId }),
      tab.emitWithAck('message:send', { content: 'add something else', clientId }),
      tab.emitWithAck('message:send', { content: 'add call the bank', clientId }),
    ]);
    for (const answer of [again, concurrentA, concurrentB]) expect(answer).toEqual(first);
    expect((await call(app, user, 'GET', '/api/tasks')).body.tasks).toHaveLength(1);
    if (!first.ok) return;
    expect((await call(app, user, 'GET', `/api/conversations/${first.conversationId}/messages`)).body.messages).toHaveLength(2);
  });

  it('answers malformed payloads with VALIDATION_ERROR and stays connected', async () => {
    const tab = await open(await signup(app));
    const bad: [string, unknown][] = [
      ['message:send', { content: '', clientId: randomUUID() }],
      ['message:send', { content: '   ', clientId: randomUUID() }],
      ['message:send', { content: 'x'.repeat(4001), clientId: randomUUID() }],
      ['message:send', { content: 'hi' }],
      ['message:send', { content: 'hi', clientId: 'not-a-uuid' }],
      ['message:send', { content: 42, clientId: randomUUID() }],
      ['message:send', 'just a string'],
      ['message:send', null],
      ['message:send', [1, 2]],
      ['conversation:join', {}],
      ['conversation:join', { conversationId: 'nope' }],
      ['conversation:join', { conversationId: randomUUID(), afterMessageId: 7 }],
      ['conversation:leave', undefined],
      ['assistant:stop', { conversationId: 1 }],
    ];
    for (const [event, payload] of bad) {
      const answer: any = await tab.emitWithAck(event as 'message:send', payload as never);
      expect(answer.ok, `${event} ${JSON.stringify(payload)}`).toBe(false);
      expect(answer.error.code).toBe('VALIDATION_ERROR');
    }
    // Events without an acknowledgement, or unknown events, are ignored without harm.
    (tab as any).emit('message:send', { content: 'no ack' });
    (tab as any).emit('not:an:event', { whatever: true });
    expect(tab.connected).toBe(true);
    expect(await tab.emitWithAck('conversation:leave', { conversationId: randomUUID() })).toEqual({ ok: true });
  });

  it('drops a socket that sends a payload over the size limit, and keeps serving others', async () => {
    const user = await signup(app);
    const big = await open(user);
    const closed = new Promise((resolve) => big.once('disconnect', resolve));
    big.emit('message:send', { content: 'x'.repeat(100_000), clientId: randomUUID() }, () => {});
    await closed;
    const fine = await open(user);
    expect(await fine.emitWithAck('conversation:leave', { conversationId: randomUUID() })).toEqual({ ok: true });
  });

  it('answers messages sent while a reply streams after it, in order', async () => {
    const user = await signup(app);
    const tab = await open(user);
    const first = await sendMessage(tab, 'add first thing');
    const dones: string[] = [];
    tab.on('assistant:done', ({ message }) => dones.push(message.id));
    const acks = await Promise.all(
      ['add second thing', 'add third thing', 'show my tasks'].map((content) =>
        tab.emitWithAck('message:send', { conversationId: first.conversationId, content, clientId: randomUUID() }),
      ),
    );
    await until(() => dones.length >= 4);
    expect(acks.every((ack) => ack.ok)).toBe(true);
    const messages = (await call(app, user, 'GET', `/api/conversations/${first.conversationId}/messages`)).body.messages;
    expect(messages.map((message: any) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    // Each reply follows its own message, and the replies finished in the order the messages were stored.
    expect(dones).toEqual(messages.filter((message: any) => message.role === 'assistant').map((message: any) => message.id));
    expect(messages.every((message: any) => message.status === 'complete')).toBe(true);
  });
});

describe('realtime gateway with rate limits on', () => {
  const suite = listeningApp({ RATE_LIMITS: 'on' });

  it('answers RATE_LIMITED past the burst of messages, after validation', async () => {
    const { app, url } = suite;
    const tab = await connect(url, (await signup(app)).accessToken);
    const invalid = await Promise.all(Array.from({ length: 15 }, () => tab.emitWithAck('message:send', { content: '' } as never)));
    expect(invalid.every((answer: any) => answer.error.code === 'VALIDATION_ERROR')).toBe(true);
    const answers = await Promise.all(
      Array.from({ length: 14 }, (_, index) => tab.emitWithAck('message:send', { content: `hello ${index}`, clientId: randomUUID() })),
    );
    const codes = answers.map((answer) => (answer.ok ? 'ok' : answer.error.code));
    expect(codes.filter((code) => code === 'ok').length).toBe(10);
    expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBe(4);
    tab.close();
  });
});

describe('realtime gateway with short-lived access tokens', () => {
  const suite = listeningApp({ ACCESS_TOKEN_TTL: '1s' });

  it('ends a socket when its access token expires', async () => {
    const { app, url } = suite;
    const socket = await connect(url, (await signup(app)).accessToken);
    const reason = await new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
    socket.close();
  });
});
