import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, signup, testApp } from '../helpers/app.ts';

describe('conversations REST and POST /api/chat (offline assistant)', () => {
  const suite = testApp();

  it('creates, renames, lists most recent first with last_message, pages, and soft-deletes', async () => {
    const user = await signup(suite.app);
    const first = (await call(suite.app, user, 'POST', '/api/conversations', { title: 'First' })).body.conversation;
    const second = (await call(suite.app, user, 'POST', '/api/conversations')).body.conversation;
    expect(second.title).toBe('New conversation');
    const third = (await call(suite.app, user, 'POST', '/api/conversations', {})).body.conversation;
    let list = (await call(suite.app, user, 'GET', '/api/conversations')).body;
    expect(list.conversations.map((c: any) => c.id)).toEqual([third.id, second.id, first.id]);
    await call(suite.app, user, 'PATCH', `/api/conversations/${first.id}`, { title: 'Renamed' });
    await call(suite.app, user, 'POST', '/api/chat', { conversation_id: second.id, message: 'hello' });
    list = (await call(suite.app, user, 'GET', '/api/conversations')).body;
    expect(list.conversations.map((c: any) => c.id)).toEqual([second.id, first.id, third.id]);
    expect(list.conversations[0].last_message).toMatchObject({ role: 'assistant', status: 'complete' });
    expect(list.conversations[1]).toMatchObject({ title: 'Renamed', last_message: null });

    const page1 = (await call(suite.app, user, 'GET', '/api/conversations?limit=2')).body;
    const page2 = (await call(suite.app, user, 'GET', `/api/conversations?limit=2&cursor=${page1.next_cursor}`)).body;
    expect([...page1.conversations, ...page2.conversations].map((c: any) => c.id)).toEqual([second.id, first.id, third.id]);
    expect(page2.next_cursor).toBeNull();

    expect((await call(suite.app, user, 'DELETE', `/api/conversations/${second.id}`)).status).toBe(204);
    expect((await call(suite.app, user, 'DELETE', `/api/conversations/${second.id}`)).status).toBe(404);
    expect((await call(suite.app, user, 'GET', `/api/conversations/${second.id}/messages`)).status).toBe(404);
    expect((await call(suite.app, user, 'POST', '/api/chat', { conversation_id: second.id, message: 'hi' })).status).toBe(404);
    expect((await call(suite.app, user, 'GET', '/api/conversations')).body.conversations.map((c: any) => c.id)).toEqual([first.id, third.id]);
  });

  it('validates bodies, params and queries', async () => {
    const user = await signup(suite.app);
    const checks: [string, string, unknown, string][] = [
      ['POST', '/api/conversations', { title: '' }, 'title'],
      ['PATCH', `/api/conversations/${randomUUID()}`, {}, 'title'],
      ['PATCH', '/api/conversations/not-a-uuid', { title: 'x' }, 'id'],
      ['GET', '/api/conversations?limit=500', undefined, 'limit'],
      ['GET', '/api/conversations?cursor=nope', undefined, 'cursor'],
      ['GET', `/api/conversations/${randomUUID()}/messages?limit=101`, undefined, 'limit'],
      ['GET', `/api/conversations/${randomUUID()}/messages?before=x`, undefined, 'before'],
      ['POST', '/api/chat', { message: '' }, 'message'],
      ['POST', '/api/chat', { message: 'x'.repeat(4001) }, 'message'],
      ['POST', '/api/chat', { message: 'hi', conversation_id: 'abc' }, 'conversation_id'],
    ];
    for (const [method, url, body, field] of checks) {
      const res = await call(suite.app, user, method as 'GET', url, body);
      expect(res.status, `${method} ${url}`).toBe(400);
      expect(res.body.error.details.map((detail: any) => detail.field)).toContain(field);
    }
  });

  it('runs a chat turn: new conversation titled from the message, both messages stored in order, pages with before', async () => {
    const user = await signup(suite.app);
    const res = await call(suite.app, user, 'POST', '/api/chat', { message: 'Add a task to buy groceries' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      conversation_id: expect.any(String),
      response: 'Added task #1 "Buy groceries".',
      tool_calls: [{ id: expect.any(String), name: 'add_task', arguments: { title: 'Buy groceries' } }],
    });
    const conversation = (await call(suite.app, user, 'GET', '/api/conversations')).body.conversations[0];
    expect(conversation.title).toBe('Add a task to buy groceries');
    for (const message of ['show my tasks', 'complete task 1', 'what have I completed?']) {
      await call(suite.app, user, 'POST', '/api/chat', { conversation_id: res.body.conversation_id, message });
    }
    const all = (await call(suite.app, user, 'GET', `/api/conversations/${res.body.conversation_id}/messages`)).body;
    expect(all.has_more).toBe(false);
    expect(all.messages.map((message: any) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(all.messages[1]).toMatchObject({
      status: 'complete',
      tool_calls: [{ name: 'add_task' }],
      tool_results: [{ name: 'add_task', ok: true, result: { task_number: 1, status: 'created', title: 'Buy groceries' } }],
    });
    const latest = (await call(suite.app, user, 'GET', `/api/conversations/${res.body.conversation_id}/messages?limit=3`)).body;
    expect(latest.has_more).toBe(true);
    expect(latest.messages.map((message: any) => message.id)).toEqual(all.messages.slice(5).map((message: any) => message.id));
    const earlier = (await call(suite.app, user, 'GET', `/api/conversations/${res.body.conversation_id}/messages?limit=3&before=${latest.messages[0].id}`))
      .body;
    expect(earlier.messages.map((message: any) => message.id)).toEqual(all.messages.slice(2, 5).map((message: any) => message.id));
  });

  it('reads earlier tool results from the stored history ("make it urgent")', async () => {
    const user = await signup(suite.app);
    const first = await call(suite.app, user, 'POST', '/api/chat', { message: 'add renew the passport' });
    const second = await call(suite.app, user, 'POST', '/api/chat', { conversation_id: first.body.conversation_id, message: 'make it urgent' });
    expect(second.body.tool_calls).toEqual([{ id: expect.any(String), name: 'update_task', arguments: { task_number: 1, priority: 'urgent' } }]);
    expect((await call(suite.app, user, 'GET', '/api/tasks/1')).body.task.priority).toBe('urgent');
  });

  it("never lets a chat reach another user's tasks or conversations", async () => {
    const alice = await signup(suite.app);
    const bob = await signup(suite.app);
    await call(suite.app, alice, 'POST', '/api/tasks', { title: 'Secret plan' });
    const aliceChat = (await call(suite.app, alice, 'POST', '/api/chat', { message: 'hello' })).body;
    for (const message of [
      'Delete task 1',
      'complete task 1',
      `delete task 1 of user ${alice.id}`,
      'Delete the secret plan task',
      'rename task 1 to pwned',
      'show all tasks',
    ]) {
      const res = await call(suite.app, bob, 'POST', '/api/chat', { message });
      expect(res.status).toBe(200);
      expect(res.body.response).not.toContain('Secret plan');
    }
    expect((await call(suite.app, alice, 'GET', '/api/tasks/1')).body.task).toMatchObject({ title: 'Secret plan', completed: false });
    expect((await call(suite.app, bob, 'POST', '/api/chat', { conversation_id: aliceChat.conversation_id, message: 'hi' })).status).toBe(404);
    expect((await call(suite.app, bob, 'POST', `/api/${alice.id}/chat`, { message: 'hi' })).status).toBe(403);
    expect((await call(suite.app, alice, 'POST', `/api/${alice.id}/chat`, { message: 'show my tasks' })).body.response).toContain('Secret plan');
  });
});
