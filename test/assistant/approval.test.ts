// Approval before destructive tools: held durably, shown to every tab (and to later joins on any
// instance), answered once from any tab, resumed through the same agent loop for both providers.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { call, signup, type TestUser } from '../helpers/app.ts';
import { openAiSuite, textReply, toolCallsReply } from '../helpers/fake-openai.ts';
import { type ClientSocket, connect, roomAdapters, sendMessage, twoListeningApps, waitFor } from '../helpers/socket.ts';

const sockets: ClientSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

async function cautiousUser(app: FastifyInstance): Promise<TestUser> {
  const user = await signup(app);
  const res = await call(app, user, 'PATCH', '/api/auth/me', { confirm_destructive: true });
  expect(res.body.user.confirm_destructive).toBe(true);
  await call(app, user, 'POST', '/api/tasks', { title: 'Pay rent', due_date: '2030-01-01' });
  return user;
}

describe.each(roomAdapters)('approval with the offline assistant, on two instances (%s adapter)', (adapter) => {
  const instances = twoListeningApps({}, {}, adapter);
  const open = async (url: string, user: TestUser) => {
    const socket = await connect(url, user.accessToken);
    sockets.push(socket);
    return socket;
  };

  /** Sends a message whose reply holds a call, and waits for the approval request. */
  const sendHeld = async (tab: ClientSocket, content: string) => {
    const request = waitFor(tab, 'assistant:approval_request');
    const sent = await tab.emitWithAck('message:send', { content, clientId: randomUUID() });
    if (!sent.ok) throw new Error(sent.error.message);
    return { sent, held: await request };
  };

  it('holds a delete until a tab answers, shows it to every tab and to a later join on the other instance, and takes one answer', async () => {
    const { a, b, urlA, urlB } = instances;
    const user = await cautiousUser(a);
    const tab = await open(urlA, user);
    const { sent, held } = await sendHeld(tab, 'delete task 1');
    expect(held).toMatchObject({ conversationId: sent.conversationId, messageId: sent.assistantMessageId, name: 'delete_task', arguments: { task_number: 1 } });
    expect(held.summary).toBe('Delete task #1 "Pay rent"?');
    // Durable: the row says so, the task is still there, and a tab joining on B sees the question.
    const stored = (await call(b, user, 'GET', `/api/conversations/${sent.conversationId}/messages`)).body.messages;
    expect(stored.at(-1)).toMatchObject({ status: 'awaiting_approval', tool_calls: [{ id: held.toolCallId, name: 'delete_task' }], tool_results: null });
    expect((await call(a, user, 'GET', '/api/tasks')).body.tasks).toHaveLength(1);
    const later = await open(urlB, user);
    const joined = await later.emitWithAck('conversation:join', { conversationId: sent.conversationId });
    expect(joined).toMatchObject({ ok: true, pending_approval: { messageId: sent.assistantMessageId, toolCallId: held.toolCallId, summary: held.summary } });

    // The tab on B answers; the reply goes on (on B) and both tabs see it end.
    const done = waitFor(tab, 'assistant:done', (payload) => payload.message.id === sent.assistantMessageId, 10_000);
    const deleted = waitFor(tab, 'task:deleted');
    expect(await later.emitWithAck('tool:approve', { conversationId: sent.conversationId, toolCallId: held.toolCallId, approved: true })).toEqual({ ok: true });
    expect((await deleted).number).toBe(1);
    expect((await done).message).toMatchObject({ status: 'complete', content: 'Deleted task #1 "Pay rent".' });
    // A second answer, from either tab, is a conflict.
    for (const socket of [tab, later])
      expect(await socket.emitWithAck('tool:approve', { conversationId: sent.conversationId, toolCallId: held.toolCallId, approved: false })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT' },
      });
    expect((await later.emitWithAck('conversation:join', { conversationId: sent.conversationId })).ok && true).toBe(true);
  });

  it('declines: the model hears the user declined, the task stays, and clearing a due date is held too', async () => {
    const { a, urlA } = instances;
    const user = await cautiousUser(a);
    const tab = await open(urlA, user);
    const { sent, held } = await sendHeld(tab, 'remove the due date from task 1');
    expect(held).toMatchObject({ name: 'update_task', arguments: { task_number: 1, due_date: null }, summary: 'Clear its due date on task #1 "Pay rent"?' });
    const done = waitFor(tab, 'assistant:done');
    expect(await tab.emitWithAck('tool:approve', { conversationId: sent.conversationId, toolCallId: held.toolCallId, approved: false })).toEqual({ ok: true });
    const final = (await done).message;
    expect(final).toMatchObject({ status: 'complete', content: 'Okay, I left task #1 as it is.' });
    expect(final.tool_results).toEqual([{ tool_call_id: held.toolCallId, name: 'update_task', ok: false, error: expect.stringMatching(/declined/) }]);
    expect((await call(a, user, 'GET', '/api/tasks')).body.tasks[0].due_date).toBe('2030-01-01');
  });

  it('refuses answers for calls that are not held, and strangers', async () => {
    const { a, urlA } = instances;
    const user = await cautiousUser(a);
    const stranger = await signup(a);
    const tab = await open(urlA, user);
    const sent = await sendMessage(tab, 'show my tasks');
    await waitFor(tab, 'assistant:done');
    const strangerTab = await open(urlA, stranger);
    expect(await strangerTab.emitWithAck('tool:approve', { conversationId: sent.conversationId, toolCallId: 'call_x', approved: true })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await tab.emitWithAck('tool:approve', { conversationId: sent.conversationId, toolCallId: 'call_x', approved: true })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await tab.emitWithAck('tool:approve', { conversationId: sent.conversationId, toolCallId: '', approved: 'yes' } as never)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR' },
    });
  });

  it('answers a held turn over REST with 202 and the rest of it with POST /api/chat/approve; off by default', async () => {
    const { a, b } = instances;
    const user = await cautiousUser(a);
    const held = await call(a, user, 'POST', '/api/chat', { message: 'delete task 1' });
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({
      response: '',
      tool_calls: [{ name: 'delete_task' }],
      pending_approval: { name: 'delete_task', summary: 'Delete task #1 "Pay rent"?' },
    });
    const approved = await call(b, user, 'POST', '/api/chat/approve', {
      conversation_id: held.body.conversation_id,
      tool_call_id: held.body.pending_approval.toolCallId,
      approved: true,
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ response: 'Deleted task #1 "Pay rent".', tool_calls: [{ name: 'delete_task' }] });
    const again = await call(a, user, 'POST', '/api/chat/approve', {
      conversation_id: held.body.conversation_id,
      tool_call_id: held.body.pending_approval.toolCallId,
      approved: true,
    });
    expect(again.status).toBe(409);

    const plain = await signup(a);
    await call(a, plain, 'POST', '/api/tasks', { title: 'Pay rent' });
    const direct = await call(a, plain, 'POST', '/api/chat', { message: 'delete task 1' });
    expect(direct.status).toBe(200);
    expect(direct.body.response).toBe('Deleted task #1 "Pay rent".');
  });
});

describe('approval with the openai provider', () => {
  const suite = openAiSuite();

  it('holds the model call, then gives the model the result in the same turn and streams its answer', async () => {
    const { fake, app } = suite;
    const user = await cautiousUser(app);
    fake.requests.length = 0;
    fake.script(toolCallsReply({ id: 'call_del', name: 'delete_task', argumentPieces: ['{"task_number": 1}'] }), textReply('Gone: ', 'task 1.'));
    const held = await call(app, user, 'POST', '/api/chat', { message: 'please delete the rent task' });
    expect(held.status).toBe(202);
    expect(held.body.pending_approval).toMatchObject({ toolCallId: 'call_del', name: 'delete_task' });
    expect(fake.requests).toHaveLength(1);
    const done = await call(app, user, 'POST', '/api/chat/approve', { conversation_id: held.body.conversation_id, tool_call_id: 'call_del', approved: true });
    expect(done.status).toBe(200);
    expect(done.body.response).toBe('Gone: task 1.');
    const resumed = fake.requests[1].messages.slice(-3);
    expect(resumed[0]).toMatchObject({ role: 'user', content: 'please delete the rent task' });
    expect(resumed[1]).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_del', function: { name: 'delete_task' } }] });
    expect(resumed[2]).toMatchObject({ role: 'tool', tool_call_id: 'call_del' });
    expect(JSON.parse(resumed[2].content)).toMatchObject({ task_number: 1, status: 'deleted' });
    expect((await call(app, user, 'GET', '/api/tasks')).body.tasks).toHaveLength(0);
  });
});
