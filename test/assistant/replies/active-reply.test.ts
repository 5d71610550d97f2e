// The checkpoint bookkeeping of a streaming reply: UTF-8 bytes on our side, characters (code points)
// on PostgreSQL's (`left(content, keep) || append`), and writes that may be lost and sent again.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActiveReply, type Checkpoint } from '../../../src/assistant/replies/active-reply.ts';

/** What `update messages set content = left(content, keep) || append` leaves in the row. */
const applyInDatabase = (stored: string, keep: number, append: Buffer) => Array.from(stored).slice(0, keep).join('') + append.toString('utf8');
/** A checkpoint with its bytes read as text. */
const sent = (checkpoint: Checkpoint) => ({ ...checkpoint, append: checkpoint.append.toString('utf8') });

describe('ActiveReply checkpoints', () => {
  it('sends only what is new, counting characters as PostgreSQL does, tools only when they changed', () => {
    const reply = new ActiveReply('c', 'm');
    expect(reply.checkpoint()).toBeUndefined();
    reply.text.append('Café 🎉 ');
    const first = reply.checkpoint()!;
    expect(sent(first.checkpoint)).toEqual({ id: 'm', keep: 0, append: 'Café 🎉 ', tool_calls: null, tool_results: null });
    first.saved();
    expect(reply.checkpoint()).toBeUndefined();
    reply.text.append('done');
    reply.toolCalls.push({ id: 't1', name: 'add_task', arguments: { title: 'x' } });
    const second = reply.checkpoint()!;
    // "Café 🎉 " is 7 characters (8 UTF-16 units: the emoji is a surrogate pair).
    expect(sent(second.checkpoint)).toMatchObject({ keep: 7, append: 'done', tool_calls: [{ id: 't1' }], tool_results: null });
    second.saved();
    reply.text.append('!');
    expect(sent(reply.checkpoint()!.checkpoint)).toMatchObject({ keep: 11, append: '!', tool_calls: null });
  });

  it('keeps long text whole, and takes up a stored text when a reply resumes', () => {
    const reply = new ActiveReply('c', 'm');
    const pieces = Array.from({ length: 2_000 }, (_, i) => (i % 3 === 0 ? 'ü🎉 ' : `word${i} `));
    for (const piece of pieces) reply.text.append(piece);
    expect(reply.content).toBe(pieces.join(''));
    const resumed = new ActiveReply('c', 'm', { toolCallId: 't', approved: true });
    resumed.resumeFrom({ content: 'Déjà vu', lastSeq: 4 });
    expect(resumed.checkpoint()).toBeUndefined();
    resumed.text.append('!');
    expect(sent(resumed.checkpoint()!.checkpoint)).toMatchObject({ keep: 7, append: '!' });
    expect(resumed.content).toBe('Déjà vu!');
  });

  it('reports the exact state to a join, with copies of its tool lists', () => {
    const reply = new ActiveReply('c', 'm');
    expect(reply.snapshot()).toEqual({ messageId: 'm', seq: -1, content: '', tool_calls: null, tool_results: null });
    reply.seq = 0;
    reply.text.append('Hi');
    reply.toolResults.push({ tool_call_id: 't1', name: 'list_tasks', ok: true, result: { tasks: [] } });
    const snapshot = reply.snapshot();
    reply.toolResults.push({ tool_call_id: 't2', name: 'list_tasks', ok: true, result: { tasks: [] } });
    expect(snapshot).toEqual({
      messageId: 'm',
      seq: 0,
      content: 'Hi',
      tool_calls: null,
      tool_results: [{ tool_call_id: 't1', name: 'list_tasks', ok: true, result: { tasks: [] } }],
    });
  });

  it('leaves the row equal to the streamed text whatever the characters and whichever writes are lost', () => {
    const step = fc.record({
      deltas: fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { maxLength: 4 }),
      written: fc.boolean(),
      lostAnswer: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        const reply = new ActiveReply('c', 'm');
        let row = '';
        for (const { deltas, written, lostAnswer } of [...steps, { deltas: [], written: true, lostAnswer: false }]) {
          for (const delta of deltas) reply.text.append(delta);
          const change = reply.checkpoint();
          if (!change || !written) continue;
          row = applyInDatabase(row, change.checkpoint.keep, change.checkpoint.append);
          // A write whose answer was lost is sent again next time: appending twice must not double text.
          if (!lostAnswer) change.saved();
        }
        expect(row).toBe(reply.content);
      }),
      { numRuns: 300 },
    );
  });
});
