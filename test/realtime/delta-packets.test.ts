// A reply's deltas are written to its room's connections already encoded (the stream's hot path):
// the bytes must be exactly what Socket.IO itself would send, and reach every connection of the
// room, whatever its transport, and no other.

import { createRequire } from 'node:module';
import fc from 'fast-check';
import type * as SocketIoParser from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { checkFanOutOptions, deltaPackets } from '../../src/realtime/fan-out.ts';
import { signup } from '../helpers/app.ts';
import { BurstProvider, PacedProvider } from '../helpers/scripted-provider.ts';
import { connect, listeningApp, record, sendMessage, waitFor } from '../helpers/socket.ts';

// The parser socket.io itself resolves (not a copy of our own): an upgrade that changes its encoding fails here.
const { Decoder, Encoder, PacketType } = createRequire(createRequire(import.meta.url).resolve('socket.io'))('socket.io-parser') as typeof SocketIoParser;
type Packet = SocketIoParser.Packet;

/** Any text a model may stream: every code unit, lone surrogate halves included. */
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string());

describe('delta packets', () => {
  it("are byte for byte what Socket.IO's encoder makes of emit('assistant:delta', payload), and decode back to it", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.nat(), anyText, (conversationId, messageId, seq, text) => {
        const payload = { conversationId, messageId, seq, text };
        const ours = deltaPackets(conversationId, messageId)(seq, text);
        expect(ours).toBe(new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['assistant:delta', payload] })[0]);
        const decoder = new Decoder();
        let decoded: unknown;
        decoder.on('decoded', (packet: Packet) => {
          decoded = packet.data;
        });
        decoder.add(ours);
        expect(decoded).toEqual(['assistant:delta', payload]);
      }),
      { numRuns: 500 },
    );
  });

  it('are refused together with the options they cannot honour, at start', () => {
    expect(() => checkFanOutOptions({ connectionStateRecovery: {} })).toThrow(/connectionStateRecovery cannot be used/);
    expect(() => checkFanOutOptions({ path: '/socket.io' })).not.toThrow();
  });
});

describe('a reply streamed to its room', () => {
  const pieces = ['Plain, ', '"quoted" \\ slashed\n', 'émoji 🦊 ', '</script>', '\u2028end.'];
  const provider = new PacedProvider(pieces);
  const suite = listeningApp({}, { provider });

  it('reaches every connection in the room, over WebSocket and long-polling alike, in order, and nobody else', async () => {
    const user = await signup(suite.app);
    const websocketTab = await connect(suite.url, user.accessToken);
    const pollingTab = await connect(suite.url, user.accessToken, { transports: ['polling'] });
    const stranger = await connect(suite.url, (await signup(suite.app)).accessToken);
    const strangerEvents = record(stranger);
    try {
      const ack = await sendMessage(websocketTab, 'stream to both tabs');
      const join = await pollingTab.emitWithAck('conversation:join', { conversationId: ack.conversationId });
      expect(join.ok).toBe(true);
      const [websocketEvents, pollingEvents] = [record(websocketTab), record(pollingTab)];
      const done = Promise.all([waitFor(websocketTab, 'assistant:done'), waitFor(pollingTab, 'assistant:done')]);
      provider.release(pieces.length);
      const [final] = await done;
      expect(final.message.content).toBe(pieces.join(''));
      for (const events of [websocketEvents, pollingEvents]) {
        const deltas = events.filter(([name]) => name === 'assistant:delta').map(([, delta]) => delta);
        expect(deltas).toEqual(pieces.map((text, seq) => ({ conversationId: ack.conversationId, messageId: ack.assistantMessageId, seq, text })));
      }
      expect(strangerEvents.filter(([name]) => name.startsWith('assistant:'))).toEqual([]);
    } finally {
      for (const socket of [websocketTab, pollingTab, stranger]) socket.close();
    }
  });
});

describe('a reply streamed faster than the delta window', () => {
  const words = 300;
  const suite = listeningApp({}, { provider: new BurstProvider(words) });

  it('reaches its room as fewer, longer deltas with contiguous seqs, the whole text, and the end after them; a join mid-stream agrees', async () => {
    const user = await signup(suite.app);
    const [tab, late] = [await connect(suite.url, user.accessToken), await connect(suite.url, user.accessToken)];
    try {
      const events = record(tab);
      const lateEvents = record(late);
      const firstDelta = waitFor(tab, 'assistant:delta');
      const done = waitFor(tab, 'assistant:done');
      const ack = await sendMessage(tab, 'stream fast');
      await firstDelta;
      const join = await late.emitWithAck('conversation:join', { conversationId: ack.conversationId });
      if (!join.ok || !join.streaming) throw new Error('no reply streaming at the join');
      const final = (await done).message;
      await waitFor(late, 'assistant:done');
      const text = Array.from({ length: words }, (_, index) => `w${index} `).join('');
      expect(final.content).toBe(text);
      const deltas = events.filter(([name]) => name === 'assistant:delta').map(([, delta]) => delta);
      expect(deltas.map((delta) => delta.seq)).toEqual(deltas.map((_, seq) => seq));
      expect(deltas.map((delta) => delta.text).join('')).toBe(text);
      // Ten words every 2 ms for about 60 ms: a delta per window, not one per word.
      expect(deltas.length).toBeLessThan(words / 5);
      expect(
        events
          .map(([name]) => name)
          .filter((name) => name.startsWith('assistant:'))
          .at(-1),
      ).toBe('assistant:done');
      // The joining tab's snapshot and the deltas after it make the text exactly once.
      const after = lateEvents.filter(([name, delta]) => name === 'assistant:delta' && delta.seq > join.streaming!.seq).map(([, delta]) => delta.text);
      expect(join.streaming.content + after.join('')).toBe(text);
    } finally {
      tab.close();
      late.close();
    }
  });
});
