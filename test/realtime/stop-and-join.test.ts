// assistant:stop and conversation:join at every instant after a message:send ack, and the
// catch-up of a join with afterMessageId in pages of 100.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssistantProvider, ProviderToolCall } from '../../src/assistant/provider.ts';
import { call, createTestApp, signup } from '../helpers/app.ts';
import { PacedProvider } from '../helpers/scripted-provider.ts';
import { connect, listen, listeningApp, record, sendMessage, until, waitFor } from '../helpers/socket.ts';

describe('stop and join right after the send is acked', () => {
  // Never released unless a test says so: a reply only ends when it is stopped.
  const provider = new PacedProvider(['held ', 'back']);
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = await createTestApp({}, { provider });
    url = await listen(app);
  });
  afterAll(() => app.close());

  it('stops every reply when assistant:stop follows the ack at once', async () => {
    const tab = await connect(url, (await signup(app)).accessToken);
    for (let round = 0; round < 10; round++) {
      const ack = await sendMessage(tab, `round ${round}`);
      const done = waitFor(tab, 'assistant:done', (event) => event.message.id === ack.assistantMessageId);
      expect(await tab.emitWithAck('assistant:stop', { conversationId: ack.conversationId })).toEqual({ ok: true });
      expect((await done).message.status).toBe('stopped');
    }
    tab.close();
  });

  it('reports the reply to a join at once after the ack, never null while it is streaming', async () => {
    const user = await signup(app);
    const [sender, joiner] = await Promise.all([connect(url, user.accessToken), connect(url, user.accessToken)]);
    for (let round = 0; round < 10; round++) {
      const ack = await sendMessage(sender, `round ${round}`);
      const join = await joiner.emitWithAck('conversation:join', { conversationId: ack.conversationId });
      if (!join.ok) throw new Error('join failed');
      expect(join.streaming).toMatchObject({ messageId: ack.assistantMessageId });
      const done = waitFor(sender, 'assistant:done', (event) => event.message.id === ack.assistantMessageId);
      await sender.emitWithAck('assistant:stop', { conversationId: ack.conversationId });
      await done;
    }
    sender.close();
    joiner.close();
  });

  it('stops queued replies too: they end stopped and never start', async () => {
    const user = await signup(app);
    const tab = await connect(url, user.accessToken);
    const events = record(tab);
    const requests = provider.requests;
    const first = await sendMessage(tab, 'first');
    // Recorded from before the send: the start can arrive in the same read as the ack.
    await until(() => events.some(([name, event]) => name === 'assistant:start' && event.messageId === first.assistantMessageId));
    const second = await sendMessage(tab, 'second', first.conversationId);
    const bothDone = Promise.all([first, second].map((ack) => waitFor(tab, 'assistant:done', (event) => event.message.id === ack.assistantMessageId)));
    await tab.emitWithAck('assistant:stop', { conversationId: first.conversationId });
    expect((await bothDone).map((event) => event.message.status)).toEqual(['stopped', 'stopped']);
    expect(events.some(([name, event]) => name === 'assistant:start' && event.messageId === second.assistantMessageId)).toBe(false);
    expect(provider.requests).toBeLessThanOrEqual(requests + 1);
    const messages = (await call(app, user, 'GET', `/api/conversations/${first.conversationId}/messages`)).body.messages;
    expect(messages.map((message: any) => message.status)).toEqual(['complete', 'stopped', 'complete', 'stopped']);
    tab.close();
  });
});

describe('a stop that comes before a tool call starts', () => {
  /** Answers every request with a call to add a task, once the test lets it: whatever the signal says by then. */
  class LateToolProvider implements AssistantProvider {
    readonly name = 'late-tool';
    /** Settles once a reply's request reached the provider. */
    readonly asked = Promise.withResolvers<void>();
    private readonly answer = Promise.withResolvers<void>();

    letGo(): void {
      this.answer.resolve();
    }

    async stream(): Promise<ProviderToolCall[]> {
      this.asked.resolve();
      await this.answer.promise;
      return [{ id: 'call_late', name: 'add_task', arguments: '{"title":"Should never exist"}' }];
    }
  }
  const provider = new LateToolProvider();
  const suite = listeningApp({}, { provider });

  it('prevents the call: the reply ends stopped and no task is made', async () => {
    const user = await signup(suite.app);
    const tab = await connect(suite.url, user.accessToken);
    const heard = record(tab);
    const ack = await sendMessage(tab, 'add something');
    await provider.asked.promise;
    const done = waitFor(tab, 'assistant:done', (event) => event.message.id === ack.assistantMessageId);
    expect(await tab.emitWithAck('assistant:stop', { conversationId: ack.conversationId })).toEqual({ ok: true });
    provider.letGo();
    expect((await done).message).toMatchObject({ status: 'stopped', tool_calls: null });
    expect(heard.filter(([name]) => name.startsWith('assistant:tool'))).toEqual([]);
    expect((await call(suite.app, user, 'GET', '/api/tasks')).body.tasks).toEqual([]);
    tab.close();
  });
});

describe('a join with afterMessageId on a long conversation', () => {
  const suite = listeningApp();

  it('returns the first 100 missed messages with has_more, and REST pages on after the last one', async () => {
    const { app, url } = suite;
    const user = await signup(app);
    const conversation = (await call(app, user, 'POST', '/api/conversations', { title: 'long' })).body.conversation;
    await app.orm.em.fork().execute(
      `insert into messages (conversation_id, user_id, role, content, status, created_at, updated_at)
       select ?, ?, case when g % 2 = 0 then 'user' else 'assistant' end, 'message ' || g, 'complete', now() + g * interval '1 ms', now()
       from generate_series(1, 231) g`,
      [conversation.id, user.id],
    );
    const all = [];
    for (let before: string | undefined, more = true; more; ) {
      const page = (await call(app, user, 'GET', `/api/conversations/${conversation.id}/messages?limit=100${before ? `&before=${before}` : ''}`)).body;
      all.unshift(...page.messages);
      before = page.messages[0]?.id;
      more = page.has_more;
    }
    expect(all.map((message: any) => message.content)).toEqual(Array.from({ length: 231 }, (_, index) => `message ${index + 1}`));

    const tab = await connect(url, user.accessToken);
    const join = await tab.emitWithAck('conversation:join', { conversationId: conversation.id, afterMessageId: all[0].id });
    if (!join.ok) throw new Error('join failed');
    expect(join.messages.map((message) => message.content)).toEqual(all.slice(1, 101).map((message: any) => message.content));
    expect(join.has_more).toBe(true);
    const caughtUp = [...join.messages];
    for (let more = true; more; ) {
      const page = (await call(app, user, 'GET', `/api/conversations/${conversation.id}/messages?after=${caughtUp.at(-1)!.id}&limit=100`)).body;
      caughtUp.push(...page.messages);
      more = page.has_more;
    }
    expect(caughtUp.map((message) => message.id)).toEqual(all.slice(1).map((message: any) => message.id));
    const both = await call(app, user, 'GET', `/api/conversations/${conversation.id}/messages?after=${all[0].id}&before=${all[5].id}`);
    expect(both.status).toBe(400);
    tab.close();
  });
});
