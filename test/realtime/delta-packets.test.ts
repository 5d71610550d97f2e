// A reply's deltas are written to its room's connections already encoded (the stream's hot path):
// the bytes must be exactly what Socket.IO itself would send, and reach every connection of the
// room, whatever its transport, and no other.

import { createRequire } from 'node:module';
import fc from 'fast-check';
import type * as SocketIoParser from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { checkFanOutOptions, deltaPackets } from '../../src/realtime/fan-out.ts';
import { signup } from '../helpers/app.ts';
import { PacedProvider } from '../helpers/scripted-provider.ts';
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
