// message:edit and assistant:regenerate over real sockets: two tabs, idempotency, ordering, stop,
// someone else's ids, and a regeneration asked on one instance while the reply streams on another.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, signup, type TestUser } from '../helpers/app.ts';
import { PacedProvider } from '../helpers/scripted-provider.ts';
import { type ClientSocket, connect, listen, record, roomAdapters, sendMessage, tabsOnBoth, twoListeningApps, waitFor } from '../helpers/socket.ts';

const sockets: ClientSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

describe('edit and regenerate with the offline assistant', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = await createTestApp();
    url = await listen(app);
  });
  afterAll(() => app.close());

  const open = async (user: TestUser) => {
    const socket = await connect(url, user.accessToken);
    sockets.push(socket);
    return socket;
  };
  const send = async (tab: ClientSocket, content: string, conversationId?: string) => {
    const done = waitFor(tab, 'assistant:done', () => true, 10_000);
    const ack = await tab.emitWithAck('message:send', { content, conversationId, clientId: randomUUID() });
    if (!ack.ok) throw new Error(ack.error.message);
    await done;
    return ack;
  };
  const messages = async (user: TestUser, conversationId: string) =>
    (await call(app, user, 'GET', `/api/conversations/${conversationId}/messages`)).body.messages as { id: string; role: string; content: string }[];

  it('edits a user message: later messages leave every read and every tab hears it, a new reply answers the new text', async () => {
    const user = await signup(app);
    const tab = await open(user);
    const other = await open(user);
    const first = await send(tab, 'add buy milk');
    await send(tab, 'show my tasks', first.conversationId);
    await other.emitWithAck('conversation:join', { conversationId: first.conversationId });
    const before = await messages(user, first.conversationId);
    expect(before).toHaveLength(4);
    const heard = record(other);
    const done = waitFor(other, 'assistant:done');
    const clientId = randomUUID();
    const ack = await tab.emitWithAck('message:edit', {
      conversationId: first.conversationId,
      messageId: first.message.id,
      content: 'add buy oat milk',
      clientId,
    });
    expect(ack).toMatchObject({ ok: true, message: { id: first.message.id, content: 'add buy oat milk' }, assistantMessageId: expect.any(String) });
    if (!ack.ok) return;
    expect((await done).message).toMatchObject({ id: ack.assistantMessageId, content: 'Added task #2 "Buy oat milk".' });
    const removed = heard.find(([name]) => name === 'message:removed')![1];
    expect(removed).toEqual({ conversationId: first.conversationId, messageIds: before.slice(1).map((message) => message.id) });
    expect(heard.find(([name]) => name === 'message:updated')![1].message.content).toBe('add buy oat milk');
    const after = await messages(user, first.conversationId);
    expect(after.map((message) => [message.role, message.content])).toEqual([
      ['user', 'add buy oat milk'],
      ['assistant', 'Added task #2 "Buy oat milk".'],
    ]);
    // A retry of the same edit is the same edit: nothing changes twice.
    const again = await tab.emitWithAck('message:edit', {
      conversationId: first.conversationId,
      messageId: first.message.id,
      content: 'add buy oat milk',
      clientId,
    });
    expect(again).toMatchObject({ ok: true, assistantMessageId: ack.assistantMessageId });
    expect(await messages(user, first.conversationId)).toEqual(after);
    // A tab catching up from a message the edit removed is told so (it reloads the latest page), never handed a wrong page.
    const stale = await other.emitWithAck('conversation:join', { conversationId: first.conversationId, afterMessageId: before[3]!.id });
    expect(stale).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // The task the first reply made is not undone.
    expect((await call(app, user, 'GET', '/api/tasks?sort=created_at')).body.tasks.map((task: { title: string }) => task.title)).toEqual([
      'Buy milk',
      'Buy oat milk',
    ]);
  });

  it('regenerates the last reply: the old one leaves, a new one answers the same message; idempotent by clientId', async () => {
    const user = await signup(app);
    const tab = await open(user);
    const first = await send(tab, 'show my tasks');
    const heard = record(tab);
    const done = waitFor(tab, 'assistant:done');
    const clientId = randomUUID();
    const ack = await tab.emitWithAck('assistant:regenerate', { conversationId: first.conversationId, clientId });
    expect(ack).toMatchObject({ ok: true, assistantMessageId: expect.any(String) });
    if (!ack.ok) return;
    expect(ack.assistantMessageId).not.toBe(first.assistantMessageId);
    await done;
    expect(heard.find(([name]) => name === 'message:removed')![1].messageIds).toEqual([first.assistantMessageId]);
    const stored = await messages(user, first.conversationId);
    expect(stored.map((message) => message.id)).toEqual([first.message.id, ack.assistantMessageId]);
    expect(await tab.emitWithAck('assistant:regenerate', { conversationId: first.conversationId, clientId })).toEqual(ack);
    expect(await messages(user, first.conversationId)).toHaveLength(2);
  });

  it("refuses someone else's message, an assistant message, an unknown conversation and bad payloads", async () => {
    const owner = await signup(app);
    const stranger = await signup(app);
    const ownerTab = await open(owner);
    const strangerTab = await open(stranger);
    const sent = await send(ownerTab, 'add buy milk');
    const edit = (tab: ClientSocket, payload: Record<string, unknown>) =>
      tab.emitWithAck('message:edit', {
        conversationId: sent.conversationId,
        messageId: sent.message.id,
        content: 'hijack',
        clientId: randomUUID(),
        ...payload,
      } as never);
    const heard = record(strangerTab);
    expect(await edit(strangerTab, {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await edit(ownerTab, { messageId: sent.assistantMessageId })).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(await edit(ownerTab, { messageId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(await edit(ownerTab, { content: '   ' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(await edit(ownerTab, { messageId: 'nope' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(await strangerTab.emitWithAck('assistant:regenerate', { conversationId: sent.conversationId, clientId: randomUUID() })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const empty = (await call(app, owner, 'POST', '/api/conversations', {})).body.conversation;
    expect(await ownerTab.emitWithAck('assistant:regenerate', { conversationId: empty.id, clientId: randomUUID() })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    // Nothing changed, and the stranger never joined the owner's room.
    expect((await messages(owner, sent.conversationId)).map((message) => message.content)).toEqual(['add buy milk', 'Added task #1 "Buy milk".']);
    await send(ownerTab, 'show my tasks', sent.conversationId);
    expect(heard).toEqual([]);
  });
});

describe.each(roomAdapters)('regenerate across two instances while the reply streams (%s adapter)', (adapter) => {
  const provider = new PacedProvider(['One ', 'two ', 'three ', 'four ', 'five.']);
  const instances = twoListeningApps({}, { provider }, adapter);

  it('stops the reply streaming on A, removes it, and streams the new one from B to both tabs', async () => {
    const { b } = instances;
    const { user, tabA, tabB } = await tabsOnBoth(instances);
    sockets.push(tabA, tabB);
    const first = await sendMessage(tabA, 'first');
    await tabB.emitWithAck('conversation:join', { conversationId: first.conversationId });
    provider.release(1);
    await waitFor(tabA, 'assistant:delta');
    const heardA = record(tabA);
    const regenerated = await tabB.emitWithAck('assistant:regenerate', { conversationId: first.conversationId, clientId: randomUUID() });
    if (!regenerated.ok) throw new Error(regenerated.error.message);
    await waitFor(tabA, 'message:removed');
    provider.release(5);
    const done = await waitFor(tabA, 'assistant:done', (payload) => payload.message.id === regenerated.assistantMessageId, 10_000);
    expect(done.message).toMatchObject({ status: 'complete', content: 'One two three four five.' });
    const names = heardA.map(([name, payload]) => `${name}:${payload.messageId ?? payload.message?.id ?? payload.messageIds?.join(',')}`);
    // The old reply ends (stopped, on A) before it is removed, and the new one starts after that.
    expect(names.indexOf(`assistant:done:${first.assistantMessageId}`)).toBeGreaterThanOrEqual(0);
    expect(names.indexOf(`assistant:done:${first.assistantMessageId}`)).toBeLessThan(names.indexOf(`message:removed:${first.assistantMessageId}`));
    expect(names.indexOf(`message:removed:${first.assistantMessageId}`)).toBeLessThan(names.indexOf(`assistant:start:${regenerated.assistantMessageId}`));
    const stored = (await call(b, user, 'GET', `/api/conversations/${first.conversationId}/messages`)).body.messages;
    expect(stored.map((message: { id: string }) => message.id)).toEqual([first.message.id, regenerated.assistantMessageId]);
  });
});
