// The client demo's room state: how server events and joins change the open conversation.
import { describe, expect, it } from 'vitest';
import type { MessageDto } from '../../client-demo/src/api.ts';
import { applyEvent, emptyRoom, joined, type Room, type RoomEvent, withReply } from '../../client-demo/src/room-state.ts';

const conversationId = '00000000-0000-4000-8000-000000000001';
const message = (id: string, role: 'user' | 'assistant', content: string, status: MessageDto['status'] = 'complete'): MessageDto => ({
  id,
  conversation_id: conversationId,
  role,
  content,
  status,
  tool_calls: null,
  tool_results: null,
  created_at: '2026-11-28T10:00:00.000Z',
});
const delta = (seq: number, text: string, messageId = 'a1'): RoomEvent => ({ name: 'assistant:delta', payload: { conversationId, messageId, seq, text } });

/** Applies events in order, checking that none changes the room it was given. */
function run(room: Room, ...events: RoomEvent[]) {
  const effects: string[] = [];
  for (const event of events) {
    const before = JSON.stringify(room);
    const result = applyEvent(room, event);
    expect(JSON.stringify(room)).toBe(before);
    room = result.room;
    effects.push(result.effect.kind);
  }
  return { room, effects };
}

describe('room state', () => {
  it('streams deltas in order, ignores what it already has, and asks for a resync on a gap', () => {
    const start: RoomEvent = { name: 'assistant:start', payload: { conversationId, messageId: 'a1' } };
    const { room, effects } = run(emptyRoom(conversationId), start, delta(0, 'Hel'), delta(1, 'lo'), delta(1, 'lo'), delta(3, '!'));
    expect(effects).toEqual(['render', 'text', 'text', 'none', 'resync']);
    expect(room.messages).toEqual([expect.objectContaining({ id: 'a1', content: 'Hello', status: 'streaming' })]);
    expect(room.streaming).toEqual({ messageId: 'a1', seq: 1 });
  });

  it('continues a snapshot from a join exactly once, then takes the final message', () => {
    const ack = {
      ok: true as const,
      conversation: { id: conversationId, title: 't', created_at: '', updated_at: '', last_message: null },
      messages: [message('u1', 'user', 'count'), message('a1', 'assistant', 'One two ', 'streaming')],
      has_more: false,
      pending_approval: null,
      streaming: { messageId: 'a1', seq: 1, content: 'One two ', tool_calls: null, tool_results: null },
    };
    const room = joined(emptyRoom(conversationId), ack, ack.messages, undefined);
    const done: RoomEvent = { name: 'assistant:done', payload: { conversationId, message: message('a1', 'assistant', 'One two three.') } };
    const after = run(room, delta(0, 'One '), delta(1, 'two '), delta(2, 'three.'));
    expect(after.effects).toEqual(['none', 'none', 'text']);
    expect(after.room.messages.find((entry) => entry.id === 'a1')!.content).toBe('One two three.');
    const final = run(after.room, done).room;
    expect(final.streaming).toBeUndefined();
    expect(final.messages.map((entry) => [entry.id, entry.status])).toEqual([
      ['u1', 'complete'],
      ['a1', 'complete'],
    ]);
  });

  it('catches up after a reconnect: settled messages kept, what was missed added once, the stale streaming row replaced', () => {
    let room: Room = {
      conversationId,
      messages: [message('u1', 'user', 'hi'), message('a1', 'assistant', 'Hel', 'streaming')],
      streaming: { messageId: 'a1', seq: 0 },
    };
    const missed = [message('a1', 'assistant', 'Hello there.'), message('u2', 'user', 'and then?'), message('a2', 'assistant', '', 'streaming')];
    const ack = {
      ok: true as const,
      conversation: { id: conversationId, title: 't', created_at: '', updated_at: '', last_message: null },
      messages: missed,
      has_more: false,
      pending_approval: null,
      streaming: { messageId: 'a2', seq: -1, content: '', tool_calls: null, tool_results: null },
    };
    room = joined(room, ack, missed, 'u1');
    expect(room.messages.map((entry) => [entry.id, entry.content])).toEqual([
      ['u1', 'hi'],
      ['a1', 'Hello there.'],
      ['u2', 'and then?'],
      ['a2', ''],
    ]);
    expect(room.streaming).toEqual({ messageId: 'a2', seq: -1 });
    expect(run(room, delta(0, 'Then', 'a2')).room.messages.at(-1)!.content).toBe('Then');
  });

  it('takes the snapshot of a join as the reply state: tool events that reached the tab before its ack count once', () => {
    const call = { id: 'c1', name: 'add_task', arguments: { title: 'milk' } };
    const toolResult = { tool_call_id: 'c1', name: 'add_task', ok: true, result: { number: 1 } };
    const ack = {
      ok: true as const,
      conversation: { id: conversationId, title: 't', created_at: '', updated_at: '', last_message: null },
      messages: [message('u1', 'user', 'add milk'), message('a1', 'assistant', '', 'streaming')],
      has_more: false,
      pending_approval: null,
      streaming: { messageId: 'a1', seq: -1, content: '', tool_calls: [call], tool_results: [toolResult] },
    };
    // The tab had seen the call (and not yet its result) before the ack; then both events arrive again, buffered.
    const seen = run(emptyRoom(conversationId), {
      name: 'assistant:tool_call',
      payload: { conversationId, messageId: 'a1', toolCallId: 'c1', name: 'add_task', arguments: call.arguments },
    }).room;
    const { room } = run(
      joined(seen, ack, ack.messages, undefined),
      { name: 'assistant:tool_call', payload: { conversationId, messageId: 'a1', toolCallId: 'c1', name: 'add_task', arguments: call.arguments } },
      { name: 'assistant:tool_result', payload: { conversationId, messageId: 'a1', toolCallId: 'c1', name: 'add_task', ok: true, result: { number: 1 } } },
    );
    const reply = room.messages.find((candidate) => candidate.id === 'a1')!;
    expect([reply.tool_calls, reply.tool_results]).toEqual([[call], [toolResult]]);
  });

  it('shows each tool call and result once, and an error that ends the reply', () => {
    const call: RoomEvent = {
      name: 'assistant:tool_call',
      payload: { conversationId, messageId: 'a1', toolCallId: 't1', name: 'add_task', arguments: { title: 'Milk' } },
    };
    const result: RoomEvent = {
      name: 'assistant:tool_result',
      payload: { conversationId, messageId: 'a1', toolCallId: 't1', name: 'add_task', ok: true, result: { task_number: 1 } },
    };
    const error: RoomEvent = { name: 'assistant:error', payload: { conversationId, messageId: 'a1', code: 'PROVIDER_ERROR', message: 'The model failed' } };
    const { room } = run(withReply(emptyRoom(conversationId), 'a1'), call, call, result, result, error);
    expect(room.messages).toEqual([
      expect.objectContaining({
        id: 'a1',
        status: 'error',
        error: 'The model failed',
        tool_calls: [{ id: 't1', name: 'add_task', arguments: { title: 'Milk' } }],
        tool_results: [{ tool_call_id: 't1', name: 'add_task', ok: true, result: { task_number: 1 }, error: undefined }],
      }),
    ]);
    expect(room.streaming).toBeUndefined();
  });
});
