// The one place taskstream goes around Socket.IO's broadcast, and what that costs. Both shortcuts
// apply only while this instance is alone (no peer has announced itself to the room adapter):
//
// 1. The adapter's local broadcast (adapter.ts): alone, an event goes to the in-memory adapter's
//    broadcast at once instead of awaiting a NOTIFY round trip first. Nothing of Socket.IO's
//    per-socket delivery is skipped.
// 2. The delta writer (broadcasts.ts, a reply's `assistant:delta`): alone, each delta is encoded
//    once (deltaPackets, pinned against socket.io-parser's own encoder) and handed to each of the
//    room's Engine.IO connections. It bypasses, and so cannot honour: outgoing listeners
//    (`socket.onAnyOutgoing`), the `volatile` and `except` flags, connection-state recovery (no
//    packet ids, no buffer of missed packets), binary attachments (deltas are text) and the
//    pre-framed WebSocket copy the broadcast would share between sockets. None of these is used
//    for deltas; connection-state recovery is refused at start (checkFanOutOptions).
//
// With peers, every event is a broadcast through the adapter, so sockets on other instances get it.
import type { ServerOptions } from 'socket.io';
import type { Adapter } from 'socket.io-adapter';
import { conversationRoom } from './events.ts';
import type { AppServer } from './socket-types.ts';

/** Whether this instance is alone: no other instance has announced itself to the adapter (a room's sockets may then be elsewhere too). */
export function isAlone(adapter: Adapter): boolean {
  return (adapter as unknown as { nodesMap: Map<string, unknown> }).nodesMap.size === 0;
}

/** Refuses, at start, the Socket.IO options the shortcuts cannot honour. */
export function checkFanOutOptions(options: Partial<ServerOptions>): void {
  if (options.connectionStateRecovery) {
    throw new Error(
      'Socket.IO connectionStateRecovery cannot be used: reply deltas bypass its packet buffer (src/realtime/fan-out.ts), and the PostgreSQL adapter does not support it; clients resume with conversation:join and afterMessageId',
    );
  }
}

/**
 * A reply's `assistant:delta` packets, exactly as Socket.IO's parser encodes `emit('assistant:delta',
 * { conversationId, messageId, seq, text })` (protocol v5: `2` for an event, then the JSON of the
 * event's name and payload), with the ids encoded once per reply instead of once per delta.
 */
export function deltaPackets(conversationId: string, messageId: string): (seq: number, text: string) => string {
  const head = `2["assistant:delta",{"conversationId":${JSON.stringify(conversationId)},"messageId":${JSON.stringify(messageId)},"seq":`;
  return (seq, text) => `${head}${seq},"text":${JSON.stringify(text)}}]`;
}

/** What Socket.IO hands Engine.IO with every packet it sends (compression allowed, as its own default). */
const sendOptions = { compress: true };

/**
 * Sends one reply's deltas to its conversation's room: alone, written to the room's connections
 * already encoded (fewer allocations per delta: BENCHMARKS.md, "a delta without a broadcast"); with
 * peers, a broadcast through the adapter.
 */
export function deltaWriter(io: AppServer, conversationId: string, messageId: string): (seq: number, text: string) => void {
  const room = conversationRoom(conversationId);
  const everywhere = io.to(room);
  const { adapter, sockets } = io.sockets;
  const packet = deltaPackets(conversationId, messageId);
  return (seq, text) => {
    if (!isAlone(adapter)) return void everywhere.emit('assistant:delta', { conversationId, messageId, seq, text });
    const ids = adapter.rooms.get(room);
    if (!ids) return;
    const encoded = packet(seq, text);
    for (const id of ids) sockets.get(id)?.conn.send(encoded, sendOptions);
  };
}
