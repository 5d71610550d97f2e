// POST /api/chat/ui read by the AI SDK itself (`ai`: DefaultChatTransport, then readUIMessageStream,
// which checks every chunk against the protocol's schema): text and tool parts, the chat id as the
// conversation (made on first use, the user's own), the same events as message:send, and an
// aborted request stopping the reply.
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { Message } from '../../src/db/entities/index.ts';
import { call, signup, type TestUser } from '../helpers/app.ts';
import { connect, listeningApp, until, waitFor } from '../helpers/socket.ts';

const userMessage = (text: string): UIMessage => ({ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] });

describe('the AI SDK UI message stream', () => {
  const suite = listeningApp({ ASSISTANT_STREAM_DELAY_MS: '5' });
  const transport = (user: TestUser) => new DefaultChatTransport({ api: `${suite.url}/api/chat/ui`, headers: { authorization: `Bearer ${user.accessToken}` } });
  const turn = async (user: TestUser, chatId: string, messages: UIMessage[], abortSignal?: AbortSignal) => {
    const stream = await transport(user).sendMessages({ chatId, trigger: 'submit-message', messageId: undefined, messages, abortSignal });
    let last: UIMessage | undefined;
    for await (const message of readUIMessageStream({ stream, terminateOnError: true })) last = message;
    return last!;
  };

  it('streams a turn as text and tool parts, persisted in the conversation the chat id names, with the same events as message:send', async () => {
    const user = await signup(suite.app);
    const tab = await connect(suite.url, user.accessToken);
    try {
      const created = waitFor(tab, 'task:created');
      const reply = await turn(user, 'my-first-chat', [userMessage('add buy oat milk tomorrow')]);
      expect(reply.role).toBe('assistant');
      const tool = reply.parts.find((part) => part.type === 'tool-add_task') as any;
      expect(tool).toMatchObject({ state: 'output-available', input: { title: 'Buy oat milk' }, output: { task_number: 1, status: 'created' } });
      const text = reply.parts
        .filter((part) => part.type === 'text')
        .map((part: any) => part.text)
        .join('');
      expect(text).toMatch(/^Added task #1 "Buy oat milk" \(due /);
      expect((await created).task.title).toBe('Buy oat milk');

      // The same chat id is the same conversation; only the request's last user message is new.
      const again = await turn(user, 'my-first-chat', [userMessage('add buy oat milk tomorrow'), reply, userMessage('show my tasks')]);
      expect(again.parts.some((part) => part.type === 'tool-list_tasks')).toBe(true);
      const conversations = (await call(suite.app, user, 'GET', '/api/conversations')).body.conversations;
      expect(conversations).toHaveLength(1);
      const messages = (await call(suite.app, user, 'GET', `/api/conversations/${conversations[0].id}/messages`)).body.messages;
      expect(messages.map((message: any) => [message.role, message.status])).toEqual([
        ['user', 'complete'],
        ['assistant', 'complete'],
        ['user', 'complete'],
        ['assistant', 'complete'],
      ]);
      // Another user's chat of the same id is another conversation.
      const other = await signup(suite.app);
      await turn(other, 'my-first-chat', [userMessage('hello')]);
      expect((await call(suite.app, other, 'GET', '/api/conversations')).body.conversations[0].id).not.toBe(conversations[0].id);
      // A conversation's own id continues it; someone else's is not found.
      await turn(user, conversations[0].id, [userMessage('thanks')]);
      expect((await call(suite.app, user, 'GET', `/api/conversations/${conversations[0].id}/messages`)).body.messages).toHaveLength(6);
      const foreign = await call(suite.app, other, 'POST', '/api/chat/ui', { id: conversations[0].id, messages: [userMessage('hi')] });
      expect(foreign.status).toBe(404);
    } finally {
      tab.disconnect();
    }
  });

  it('refuses a request without a user message’s text, naming messages', async () => {
    const user = await signup(suite.app);
    const answer = await call(suite.app, user, 'POST', '/api/chat/ui', {
      id: 'x',
      messages: [{ id: '1', role: 'assistant', parts: [{ type: 'text', text: 'hi' }] }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details[0].field).toBe('messages');
    expect((await call(suite.app, user, 'POST', '/api/chat/ui', { id: 'x' })).body.error.details[0].field).toBe('messages');
  });

  it('stops the reply when the request is aborted (useChat’s stop), keeping what was said', async () => {
    const user = await signup(suite.app);
    const controller = new AbortController();
    const stream = await transport(user).sendMessages({
      chatId: 'long-one',
      trigger: 'submit-message',
      messageId: undefined,
      messages: [userMessage('what can you do?')],
      abortSignal: controller.signal,
    });
    const reader = stream.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      if (chunk.value.type === 'text-delta') break;
    }
    controller.abort();
    await reader.cancel().catch(() => undefined);
    const orm = suite.app.orm.em.fork();
    await until(async () => (await orm.find(Message, { role: 'assistant', conversation: { user: user.id } }, { refresh: true }))[0]?.status === 'stopped');
  });
});
