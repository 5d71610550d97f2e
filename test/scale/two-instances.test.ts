// Two instances of the server on one database, as behind a sticky load balancer.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { relayEvent } from '../../src/realtime/fan-out.ts';
import { call, signup } from '../helpers/app.ts';
import { PacedProvider, SteadyProvider } from '../helpers/scripted-provider.ts';
import { type ClientSocket, connect, record, roomAdapters, sendMessage, tabsOnBoth, twoListeningApps, until, waitFor } from '../helpers/socket.ts';

describe.each(roomAdapters)('two instances on one PostgreSQL, rooms through %s', (adapter) => {
  const provider = new PacedProvider(['One ', 'two ', 'three ', 'four ', 'five.']);
  const instances = twoListeningApps({}, { provider }, adapter);
  const sockets: ClientSocket[] = [];
  afterAll(() => {
    for (const socket of sockets) socket.close();
  });

  it('delivers a REST change made on A to the user tabs on B', async () => {
    const { a, urlB } = instances;
    const user = await signup(a);
    const tabB = await connect(urlB, user.accessToken);
    sockets.push(tabB);
    const created = waitFor(tabB, 'task:created');
    await call(a, user, 'POST', '/api/tasks', { title: 'made on A' });
    expect((await created).task.title).toBe('made on A');
  });

  it('delivers a shared list’s activity, moves and undos made on A to a member’s tab on B', async () => {
    const { a, urlB } = instances;
    const [olga, sam] = [await signup(a, 'Olga'), await signup(a, 'Sam')];
    const list = (await call(a, olga, 'POST', '/api/lists', { name: 'Team' })).body.list;
    const invitation = (await call(a, olga, 'POST', `/api/lists/${list.id}/invitations`, { email: sam.email, role: 'editor' })).body.invitation;
    await call(a, sam, 'POST', `/api/invitations/${invitation.id}/accept`);
    const [first, second] = [
      (await call(a, olga, 'POST', '/api/tasks', { title: 'Slides', list_id: list.id })).body.task,
      (await call(a, olga, 'POST', '/api/tasks', { title: 'Budget', list_id: list.id })).body.task,
    ];
    const samOnB = await connect(urlB, sam.accessToken);
    sockets.push(samOnB);
    const moved = waitFor(samOnB, 'activity:new', ({ entry }) => entry.action === 'moved');
    const updated = waitFor(samOnB, 'task:updated', ({ task }) => task.id === second.id);
    await call(a, olga, 'POST', `/api/tasks/${second.id}/move`, { before: first.id });
    expect((await moved).entry).toMatchObject({ actor: { name: 'Olga' }, channel: 'rest', list_id: list.id, task_id: second.id });
    expect((await updated).task.position < (await call(a, sam, 'GET', `/api/tasks/${first.id}`)).body.task.position).toBe(true);
    const undone = waitFor(samOnB, 'activity:new', ({ entry }) => entry.channel === 'undo');
    await call(a, olga, 'POST', '/api/undo', {});
    expect((await undone).entry).toMatchObject({ action: 'moved', task_id: second.id });
  });

  it('delivers every broadcast to a tab on B, in order, while A is under load', async () => {
    const { a, urlB } = instances;
    const user = await signup(a);
    const tabB = await connect(urlB, user.accessToken);
    sockets.push(tabB);
    const seen: number[] = [];
    tabB.on('task:deleted', ({ number }) => seen.push(number));
    // As many events at once as a busy instance emits (every streamed delta crosses to the peer).
    const count = 20_000;
    for (let number = 1; number <= count; number++) a.io.to(`user:${user.id}`).emit('task:deleted', { id: randomUUID(), number, list_id: user.id });
    await until(() => seen.length === count, 30_000);
    // None dropped, and in the order they were emitted.
    expect(seen).toEqual(Array.from({ length: count }, (_, index) => index + 1));
  }, 40_000);

  it('gives a tab on B the exact reply generating on A, then every later delta once', async () => {
    const { tabA, tabB } = await tabsOnBoth(instances);
    sockets.push(tabA, tabB);
    const ack = await sendMessage(tabA, 'count to five');
    provider.release(2);
    await waitFor(tabA, 'assistant:delta', (delta) => delta.seq === 1);

    const eventsB = record(tabB);
    const join = await tabB.emitWithAck('conversation:join', { conversationId: ack.conversationId });
    if (!join.ok) throw new Error('join failed');
    expect(join.streaming).toMatchObject({ messageId: ack.assistantMessageId, seq: 1, content: 'One two ' });

    const newMessage = waitFor(tabB, 'message:new');
    const doneB = waitFor(tabB, 'assistant:done');
    provider.release(3);
    const final = (await doneB).message;
    const later = eventsB.filter(([name, delta]) => name === 'assistant:delta' && delta.seq > join.streaming!.seq).map(([, delta]) => delta);
    expect(later.map((delta) => delta.seq)).toEqual([2, 3, 4]);
    expect(join.streaming!.content + later.map((delta) => delta.text).join('')).toBe(final.content);
    expect(final.content).toBe('One two three four five.');

    // A message sent on A reaches the room's tab on B.
    await tabA.emitWithAck('message:send', { conversationId: ack.conversationId, content: 'again', clientId: randomUUID() });
    expect((await newMessage).message.content).toBe('again');
    provider.release(5);
    await waitFor(tabB, 'assistant:done');
  });

  it('stops from a tab on B a reply generating on A', async () => {
    const { tabA, tabB } = await tabsOnBoth(instances);
    sockets.push(tabA, tabB);
    const ack = await sendMessage(tabA, 'go on and on');
    provider.release(1);
    await waitFor(tabA, 'assistant:delta');
    await tabB.emitWithAck('conversation:join', { conversationId: ack.conversationId });
    const done = waitFor(tabB, 'assistant:done');
    expect(await tabB.emitWithAck('assistant:stop', { conversationId: ack.conversationId })).toEqual({ ok: true });
    expect((await done).message).toMatchObject({ id: ack.assistantMessageId, status: 'stopped', content: 'One ' });
  });

  it('generates one reply at a time in a conversation, even when its messages reach different instances', async () => {
    const { tabA, tabB } = await tabsOnBoth(instances);
    sockets.push(tabA, tabB);
    const first = await sendMessage(tabA, 'first');
    await tabB.emitWithAck('conversation:join', { conversationId: first.conversationId });
    const events = record(tabB);
    provider.release(1);
    await waitFor(tabB, 'assistant:delta');
    const second = await sendMessage(tabB, 'second', first.conversationId);
    // B waits for A's reply to finish before it starts its own.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(events.some(([name, payload]) => name === 'assistant:start' && payload.messageId === second.assistantMessageId)).toBe(false);
    provider.release(4);
    await waitFor(tabB, 'assistant:done', (payload) => payload.message.id === first.assistantMessageId);
    provider.release(5);
    await waitFor(tabB, 'assistant:done', (payload) => payload.message.id === second.assistantMessageId);
    const order = events
      .filter(([name]) => name === 'assistant:start' || name === 'assistant:done')
      .map(([name, payload]) => `${name}:${payload.messageId ?? payload.message.id}`);
    expect(order).toEqual([
      `assistant:done:${first.assistantMessageId}`,
      `assistant:start:${second.assistantMessageId}`,
      `assistant:done:${second.assistantMessageId}`,
    ]);
  });
});

describe.each(roomAdapters)('replies streamed on A to tabs on A and B (%s adapter)', (adapter) => {
  const words = 20;
  const conversations = 10;
  const instances = twoListeningApps({}, { provider: new SteadyProvider(words, 12) }, adapter);

  it('cross to B as one adapter message per window carrying every reply, unpacked into the same deltas with the same seqs, before each reply ends', async () => {
    const pairs = await Promise.all(Array.from({ length: conversations }, () => tabsOnBoth(instances)));
    try {
      const relayed: number[] = [];
      const cluster = instances.a.io.of('/').adapter as unknown as { publishAndReturnOffset(message: any): Promise<unknown> };
      const publish = cluster.publishAndReturnOffset.bind(cluster);
      cluster.publishAndReturnOffset = (message) => {
        if (message.data?.packet?.data?.[0] === relayEvent)
          relayed.push(message.data.packet.data[1].reduce((sum: number, entry: any) => sum + entry[3].length, 0));
        return publish(message);
      };
      const streams = await Promise.all(
        pairs.map(async ({ tabA, tabB }) => {
          const [eventsA, eventsB] = [record(tabA), record(tabB)];
          const ack = await sendMessage(tabA, 'stream steadily');
          const join = await tabB.emitWithAck('conversation:join', { conversationId: ack.conversationId });
          if (!join.ok) throw new Error('join failed');
          await Promise.all([waitFor(tabA, 'assistant:done'), waitFor(tabB, 'assistant:done')]);
          // B has what streamed before it joined in the join's snapshot, and every later delta as an event.
          return { ack, eventsA, eventsB, fromB: join.streaming ? join.streaming.seq + 1 : 0 };
        }),
      );
      cluster.publishAndReturnOffset = publish;
      for (const { ack, eventsA, eventsB, fromB } of streams) {
        const expected = Array.from({ length: words }, (_, seq) => ({
          conversationId: ack.conversationId,
          messageId: ack.assistantMessageId,
          seq,
          text: `w${seq} `,
        }));
        for (const [events, from] of [
          [eventsA, 0],
          [eventsB, fromB],
        ] as const) {
          const names = events.map(([name]) => name).filter((name) => name === 'assistant:delta' || name === 'assistant:done');
          // Every delta, in order, and the reply's end after the last of them.
          expect(names.at(-1)).toBe('assistant:done');
          expect(events.filter(([name, delta]) => name === 'assistant:delta' && delta.seq >= from).map(([, delta]) => delta)).toEqual(expected.slice(from));
        }
      }
      // Every delta in one message between instances, and far fewer messages than deltas.
      expect(relayed.reduce((sum, count) => sum + count, 0)).toBe(words * conversations);
      expect(relayed.length).toBeLessThan((words * conversations) / 4);
    } finally {
      for (const { tabA, tabB } of pairs) {
        tabA.close();
        tabB.close();
      }
    }
  });
});
