import { randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ActiveReply } from '../../src/assistant/replies/active-reply.ts';
import { sweepStreamingRows, writeCheckpoints } from '../../src/assistant/replies/checkpoints.ts';
import { ReplyLeases } from '../../src/assistant/replies/leases.ts';
import { type TurnStageEvent, turnStages } from '../../src/assistant/turn-stages.ts';
import { ConversationsRepository } from '../../src/conversations/conversations.repository.ts';
import { Message } from '../../src/db/entities/index.ts';
import { call, createTestApp, signup, type TestUser } from '../helpers/app.ts';
import { PacedProvider } from '../helpers/scripted-provider.ts';
import { type ClientSocket, connect, listen, record, sendMessage, until, waitFor } from '../helpers/socket.ts';

const pieces = ['The ', 'quick ', 'brown ', 'fox ', 'jumps.'];

/** A new user's conversation with a message and its reply row, streaming (as a turn stores them). */
const streamingExchange = async (app: FastifyInstance, title: string) =>
  (await new ConversationsRepository(app.orm.em.fork()).addExchange((await signup(app)).id, { title }, 'hello', null))!;

describe('streaming replies: join mid-reply, reconnect, stop, checkpoints', () => {
  let app: FastifyInstance;
  let url: string;
  const provider = new PacedProvider(pieces);
  const sockets: ClientSocket[] = [];
  const open = async (user: TestUser) => {
    const socket = await connect(url, user.accessToken);
    sockets.push(socket);
    return socket;
  };
  /** A message row as a reader sees it: a streaming reply's text is its latest checkpoint (`draft`). */
  const storedMessage = async (id: string) => {
    const row = await app.orm.em.fork().findOneOrFail(Message, { id });
    return { ...row, content: row.draft ?? row.content };
  };

  beforeAll(async () => {
    app = await createTestApp({}, { provider, checkpointMs: 100, staleAfterMs: 1_000 });
    url = await listen(app);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(() => app.close());

  it('gives a tab joining mid-reply the exact text so far, then only the later deltas', async () => {
    const user = await signup(app);
    const tab1 = await open(user);
    const ack = await sendMessage(tab1, 'tell me a story');
    provider.release(2);
    await waitFor(tab1, 'assistant:delta', (delta) => delta.seq === 1);

    const tab2 = await open(user);
    const tab2Events = record(tab2);
    const join = await tab2.emitWithAck('conversation:join', { conversationId: ack.conversationId });
    if (!join.ok) throw new Error('join failed');
    expect(join.streaming).toEqual({ messageId: ack.assistantMessageId, seq: 1, content: 'The quick ', tool_calls: null, tool_results: null });
    expect(join.messages.at(-1)).toMatchObject({ id: ack.assistantMessageId, status: 'streaming' });

    const done = waitFor(tab2, 'assistant:done');
    provider.release(3);
    const final = (await done).message;
    const later = tab2Events
      .filter(([name]) => name === 'assistant:delta')
      .map(([, delta]) => delta)
      .filter((delta) => delta.seq > join.streaming!.seq);
    expect(later.map((delta) => delta.seq)).toEqual([2, 3, 4]);
    expect(join.streaming!.content + later.map((delta) => delta.text).join('')).toBe(final.content);
    expect(final).toMatchObject({ content: pieces.join(''), status: 'complete' });
  });

  it('publishes where a turn spends its time, stage by stage in order, for whoever subscribes', async () => {
    const events: TurnStageEvent[] = [];
    const listener = (event: unknown) => events.push(event as TurnStageEvent);
    subscribe(turnStages.name, listener);
    try {
      const tab = await open(await signup(app));
      const ack = await sendMessage(tab, 'time me');
      const done = waitFor(tab, 'assistant:done');
      provider.release(pieces.length);
      await done;
      const mine = events.filter((event) => event.replyId === ack.assistantMessageId);
      expect(mine.map((event) => event.stage)).toEqual(['received', 'stored', 'dequeued', 'leased', 'context', 'first_delta']);
      const moments = mine.map((event) => event.at);
      expect(moments).toEqual([...moments].sort((a, b) => a - b));
    } finally {
      unsubscribe(turnStages.name, listener);
    }
  });

  it('keeps generating and persists the reply when its tab goes away; a re-join with afterMessageId catches up', async () => {
    const user = await signup(app);
    const tab = await open(user);
    const ack = await sendMessage(tab, 'one more');
    provider.release(1);
    await waitFor(tab, 'assistant:delta');
    tab.close();
    provider.release(4);
    await until(async () => (await storedMessage(ack.assistantMessageId)).status === 'complete');

    const back = await open(user);
    const join = await back.emitWithAck('conversation:join', { conversationId: ack.conversationId, afterMessageId: ack.message.id });
    if (!join.ok) throw new Error('join failed');
    expect(join.streaming).toBeNull();
    expect(join.messages).toEqual([expect.objectContaining({ id: ack.assistantMessageId, status: 'complete', content: pieces.join('') })]);
    // Caught up already: nothing after the last message. An unknown anchor is NOT_FOUND (the client reloads the latest page).
    const upToDate = await back.emitWithAck('conversation:join', { conversationId: ack.conversationId, afterMessageId: ack.assistantMessageId });
    expect(upToDate.ok && upToDate.messages).toEqual([]);
    const unknown = await back.emitWithAck('conversation:join', { conversationId: ack.conversationId, afterMessageId: randomUUID() });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('checkpoints the text while streaming, about once per checkpoint period', async () => {
    const user = await signup(app);
    const tab = await open(user);
    const ack = await sendMessage(tab, 'checkpoint me');
    provider.release(3);
    await waitFor(tab, 'assistant:delta', (delta) => delta.seq === 2);
    await until(async () => (await storedMessage(ack.assistantMessageId)).content === 'The quick brown ', 2_000);
    expect((await storedMessage(ack.assistantMessageId)).status).toBe('streaming');
    const done = waitFor(tab, 'assistant:done');
    provider.release(2);
    await done;
  });

  it('runs one checkpoint at a time: one held up by a locked row is not joined by the next periods', async () => {
    const user = await signup(app);
    const tab = await open(user);
    const ack = await sendMessage(tab, 'hold me up');
    provider.release(2);
    await until(async () => (await storedMessage(ack.assistantMessageId)).content === 'The quick ', 2_000);
    const blockedCheckpoints = async () => {
      const [row] = await app.orm.em.fork().execute<{ count: number }[]>(
        `select count(*)::int as count from pg_stat_activity
         where datname = current_database() and wait_event_type = 'Lock' and query like 'update messages m set draft%'`,
      );
      return row!.count;
    };
    await app.orm.em.fork().transactional(async (em) => {
      await em.execute('select 1 from messages where id = ? for update', [ack.assistantMessageId]);
      provider.release(1);
      await waitFor(tab, 'assistant:delta', (delta) => delta.seq === 2);
      await until(async () => (await blockedCheckpoints()) > 0, 2_000);
      // Eight checkpoint periods with the row locked: still the one statement waiting (were each period
      // to add its own, they would hold every pooled connection within a second).
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(await blockedCheckpoints()).toBe(1);
    });
    await until(async () => (await storedMessage(ack.assistantMessageId)).content === 'The quick brown ', 2_000);
    const done = waitFor(tab, 'assistant:done');
    provider.release(2);
    expect(await storedMessage((await done).message.id)).toMatchObject({ status: 'complete', content: pieces.join('') });
  });

  it('stops a reply: the provider is aborted, the partial text kept with status stopped', async () => {
    const user = await signup(app);
    const tab = await open(user);
    const ack = await sendMessage(tab, 'long answer please');
    provider.release(2);
    await waitFor(tab, 'assistant:delta', (delta) => delta.seq === 1);
    const done = waitFor(tab, 'assistant:done');
    expect(await tab.emitWithAck('assistant:stop', { conversationId: ack.conversationId })).toEqual({ ok: true });
    expect((await done).message).toMatchObject({ id: ack.assistantMessageId, status: 'stopped', content: 'The quick ' });
    expect(await storedMessage(ack.assistantMessageId)).toMatchObject({ status: 'stopped', content: 'The quick ' });
    // The next message is answered normally.
    const next = waitFor(tab, 'assistant:done');
    await tab.emitWithAck('message:send', { conversationId: ack.conversationId, content: 'again', clientId: randomUUID() });
    provider.release(5);
    expect((await next).message.status).toBe('complete');
  });

  it('marks a streaming row that nobody refreshes (its process died) as interrupted', async () => {
    const user = await signup(app);
    const conversation = (await call(app, user, 'POST', '/api/conversations', {})).body.conversation;
    const em = app.orm.em.fork();
    const orphan = em.create(Message, {
      conversation: conversation.id,
      user: user.id,
      role: 'assistant',
      content: '',
      draft: 'half a tho',
      status: 'streaming',
      updatedAt: new Date(Date.now() - 5_000),
    });
    await em.flush();
    await until(async () => (await storedMessage(orphan.id)).status === 'interrupted', 3_000);
    // What its checkpoints wrote is its text now.
    expect(await storedMessage(orphan.id)).toMatchObject({ content: 'half a tho', draft: null });
  });
});

describe('streaming rows and skewed clocks', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("stamps a new reply row with the database's time, so a server clock an hour behind never makes it look stale", async () => {
    const app = await createTestApp();
    try {
      const user = await signup(app);
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      vi.setSystemTime(Date.now() - 3_600_000);
      const stored = await new ConversationsRepository(app.orm.em.fork()).addExchange(user.id, { title: 'skewed' }, 'hello', null);
      // Another instance's sweep, between the insert and this instance taking the reply on.
      await sweepStreamingRows(app.orm.em.fork(), [], 10_000);
      expect((await app.orm.em.fork().findOneOrFail(Message, { id: stored!.replyId })).status).toBe('streaming');
    } finally {
      vi.useRealTimers();
      await app.close();
    }
  });
});

describe('the upkeep of streaming rows and leases', () => {
  it("refreshes this instance's rows and leases once half-way to stale, and interrupts the rows of the dead", async () => {
    const app = await createTestApp();
    try {
      const [mine, alsoMine, dead] = [await streamingExchange(app, 'mine'), await streamingExchange(app, 'also mine'), await streamingExchange(app, 'dead')];
      const em = app.orm.em.fork();
      const ages = async () =>
        Object.fromEntries(
          (
            await em.execute<{ title: string; status: string; age: number; lease: number | null }[]>(
              `select c.title, m.status, extract(epoch from now() - m.updated_at)::float as age,
                 extract(epoch from c.reply_lease_until - now())::float as lease
               from messages m join conversations c on c.id = m.conversation_id where m.role = 'assistant'`,
            )
          ).map(({ title, ...row }) => [title, row]),
        );
      const leases = new ReplyLeases(30_000);
      for (const stored of [mine, alsoMine]) expect((await leases.claim(em, stored.conversation.id, stored.replyId, () => false)).claimed).toBe(true);
      // 8 s without a write (stale after 10 s), leases with 10 s of their 30 left.
      await em.execute(`update messages set updated_at = now() - interval '8 seconds' where role = 'assistant'`);
      await em.execute(`update conversations set reply_lease_until = now() + interval '10 seconds' where reply_owner is not null`);
      const own = [mine.conversation.id, alsoMine.conversation.id];
      await sweepStreamingRows(em, own, 10_000);
      await leases.renew(em, own);
      let rows = await ages();
      for (const title of ['mine', 'also mine']) {
        expect(rows[title]).toMatchObject({ status: 'streaming' });
        expect(rows[title]!.age).toBeLessThan(2);
        expect(rows[title]!.lease).toBeGreaterThan(25);
      }
      expect(rows.dead).toMatchObject({ status: 'streaming' });
      expect(rows.dead!.age).toBeGreaterThan(7);
      // Past stale: the row nobody refreshed is interrupted; this instance's stay.
      await em.execute(`update messages set updated_at = now() - interval '11 seconds' where conversation_id = ?`, [dead.conversation.id]);
      await sweepStreamingRows(em, own, 10_000);
      rows = await ages();
      expect(rows.dead).toMatchObject({ status: 'interrupted' });
      expect(rows.mine).toMatchObject({ status: 'streaming' });
      // Releasing ends this instance's lease; another instance's lease is not this instance's to end.
      const other = new ReplyLeases(30_000);
      await em.execute(`update messages set status = 'streaming' where conversation_id = ?`, [dead.conversation.id]);
      expect((await other.claim(em, dead.conversation.id, dead.replyId, () => false)).claimed).toBe(true);
      await leases.release(em, mine.conversation.id);
      await leases.release(em, dead.conversation.id);
      rows = await ages();
      expect(rows.mine!.lease).toBeNull();
      expect(rows.dead!.lease).toBeGreaterThan(25);
    } finally {
      await app.close();
    }
  });
});

describe('shutdown during a reply', () => {
  it('persists the reply in progress as interrupted with its partial text', async () => {
    const provider = new PacedProvider(pieces);
    const app = await createTestApp({}, { provider, checkpointMs: 5_000 });
    const url = await listen(app);
    const user = await signup(app);
    const tab = await connect(url, user.accessToken);
    const ack = await sendMessage(tab, 'story');
    provider.release(2);
    await waitFor(tab, 'assistant:delta', (delta) => delta.seq === 1);
    await app.close();
    tab.close();
    const check = await createTestApp();
    try {
      expect(await check.orm.em.fork().findOneOrFail(Message, { id: ack.assistantMessageId })).toMatchObject({ status: 'interrupted', content: 'The quick ' });
    } finally {
      await check.close();
    }
  });
});

describe('checkpoints of text beyond ASCII', () => {
  it('writes many replies in one statement, each its own bytes and tools, a resent one once', async () => {
    const app = await createTestApp();
    try {
      const replies: ActiveReply[] = [];
      for (const title of ['a', 'b', 'c']) {
        const stored = await streamingExchange(app, title);
        replies.push(new ActiveReply(stored.conversation.id, stored.replyId));
      }
      const [a, b, c] = replies as [ActiveReply, ActiveReply, ActiveReply];
      const em = app.orm.em.fork();
      const row = (reply: ActiveReply) => em.fork().findOneOrFail(Message, { id: reply.messageId });
      const checkpoint = async (save: boolean) => {
        const changes = replies.flatMap((reply) => reply.checkpoint() ?? []);
        await writeCheckpoints(
          em,
          changes.map((change) => change.checkpoint),
        );
        if (save) for (const change of changes) change.saved();
      };
      a.text.append('Añadido 🎉 ');
      b.text.append('plain ');
      c.text.append('日本語');
      b.toolCalls.push({ id: 't1', name: 'add_task', arguments: { title: 'milk' } });
      await checkpoint(true);
      a.text.append('más');
      c.text.append('のテキスト');
      // The answer to this one is lost: it is sent again with the next.
      await checkpoint(false);
      b.text.append('more');
      await checkpoint(true);
      for (const reply of replies) expect((await row(reply)).draft).toBe(reply.content);
      expect(a.content).toBe('Añadido 🎉 más');
      expect((await row(b)).toolCalls).toEqual([{ id: 't1', name: 'add_task', arguments: { title: 'milk' } }]);
      expect((await row(a)).toolCalls ?? null).toBeNull();
    } finally {
      await app.close();
    }
  });

  it('are HOT updates: no index of messages reads the column they write, and PostgreSQL counts each as HOT', async () => {
    const app = await createTestApp();
    try {
      const em = app.orm.em.fork();
      const indexes = await em.getConnection().execute<{ indexdef: string }[]>(`select indexdef from pg_indexes where tablename = 'messages'`);
      expect(indexes.length).toBeGreaterThan(3);
      for (const { indexdef } of indexes) expect(indexdef).not.toMatch(/\bdraft\b/);
      const stored = await streamingExchange(app, 'hot');
      const reply = new ActiveReply(stored.conversation.id, stored.replyId);
      const hot = await em.transactional(async (tx) => {
        for (const word of ['one ', 'two ', 'three']) {
          reply.text.append(word);
          const change = reply.checkpoint()!;
          await writeCheckpoints(tx, [change.checkpoint]);
          change.saved();
        }
        // This transaction's own counters: every checkpoint a heap-only tuple.
        const [counts] = await tx
          .getConnection()
          .execute<{ updated: number; hot: number }[]>(
            `select pg_stat_get_xact_tuples_updated('messages'::regclass)::int as updated, pg_stat_get_xact_tuples_hot_updated('messages'::regclass)::int as hot`,
            [],
            'all',
            tx.getTransactionContext(),
          );
        return counts;
      });
      expect(hot).toEqual({ updated: 3, hot: 3 });
    } finally {
      await app.close();
    }
  });

  it('appends each checkpoint exactly, whatever the characters', async () => {
    const emoji = ['👋 ', 'héllo ', '🎉🎉 ', 'naïve ', 'done'];
    const provider = new PacedProvider(emoji);
    const app = await createTestApp({}, { provider, checkpointMs: 50 });
    try {
      const url = await listen(app);
      const user = await signup(app);
      const tab = await connect(url, user.accessToken);
      const ack = await sendMessage(tab, 'unicode please');
      const stored = async () => {
        const row = await app.orm.em.fork().findOneOrFail(Message, { id: ack.assistantMessageId });
        return row.draft ?? row.content;
      };
      for (let released = 1; released < emoji.length; released++) {
        provider.release(1);
        const expected = emoji.slice(0, released).join('');
        await until(async () => (await stored()) === expected, 2_000);
      }
      const done = waitFor(tab, 'assistant:done');
      provider.release(1);
      expect((await done).message.content).toBe(emoji.join(''));
      expect(await stored()).toBe(emoji.join(''));
      tab.close();
    } finally {
      await app.close();
    }
  });
});
