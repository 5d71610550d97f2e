// How events reach sockets, and the one place taskstream goes around Socket.IO's broadcast.
//
// 1. Local first (adapter.ts): every broadcast goes to this instance's sockets at once, through the
//    in-memory adapter's own broadcast, and then (with peers) to the other instances through the
//    cluster adapter (PostgreSQL NOTIFY or a Redis stream) — never a round trip before a local write.
// 2. Deltas (deltaWriter below): a reply writes at most one delta per window (`deltaWindowMs`; text
//    faster than that joins the next); each delta is encoded once (deltaPackets, pinned against
//    socket.io-parser's own encoder) and handed to each of the room's Engine.IO connections here. For
//    the other instances, the deltas of every reply generating here are gathered for a short window
//    (`deltaWindowMs`) and cross as one adapter message per window, not one per delta; each receiving
//    instance writes them to its own connections as the same `assistant:delta` packets with the same
//    seqs. Any other broadcast first sends what the window holds, so a peer's sockets get events in the
//    order they were emitted (a reply's last deltas before its `assistant:done`).
//    Writing to connections bypasses, and so cannot honour: outgoing listeners
//    (`socket.onAnyOutgoing`), the `volatile` and `except` flags, connection-state recovery (no
//    packet ids, no buffer of missed packets), binary attachments (deltas are text) and the
//    pre-framed WebSocket copy the broadcast would share between sockets. None of these is used
//    for deltas; connection-state recovery is refused at start (checkFanOutOptions).
import type { ServerOptions } from 'socket.io';
import type { ClusterAdapter } from 'socket.io-adapter';
import { conversationRoom } from './events.ts';
import type { AppServer } from './socket-types.ts';

/**
 * The deltas' window: how long deltas for the other instances gather before crossing as one message,
 * and how often at most a reply writes a delta to its room (faster text joins the next one).
 */
export const deltaWindowMs = 20;
/** The event name of a batch of deltas between instances (never sent to a client). */
export const relayEvent = 'taskstream:deltas';
/** A batch stays under PostgreSQL's NOTIFY payload limit (8,000 bytes), so it never takes the adapter's slower table path. */
const relayBatchBytes = 6_000;

/** One reply's deltas in a batch: its conversation, its message, the seq of the first delta, and their texts in order. */
export type RelayedDeltas = [conversationId: string, messageId: string, firstSeq: number, texts: string[]];

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
 * The deltas of one adapter (one instance): written to its own connections at once, gathered for the
 * other instances and sent as one message per window (`publish`), and received from them.
 */
export class DeltaFanOut {
  private pending = new Map<string, RelayedDeltas>();
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly adapter: ClusterAdapter,
    /** Whether no other instance is there to receive (a room's sockets may then be here only). */
    readonly alone: () => boolean,
    private readonly publish: (batch: RelayedDeltas[]) => void,
  ) {}

  /** Writes one delta to this instance's connections in a conversation's room (its name made once per reply by the caller). */
  writeLocal(room: string, packet: string): void {
    const ids = this.adapter.rooms.get(room);
    if (!ids) return;
    const { sockets } = this.adapter.nsp;
    for (const id of ids) sockets.get(id)?.conn.send(packet, sendOptions);
  }

  /** Keeps a delta for the other instances, to cross with the window's others. */
  relay(conversationId: string, messageId: string, seq: number, text: string): void {
    const entry = this.pending.get(messageId);
    if (entry) entry[3].push(text);
    else this.pending.set(messageId, [conversationId, messageId, seq, [text]]);
    // Ids and framing once per reply, then each text with its quotes and comma (escapes are rare).
    this.pendingBytes += (entry ? 0 : 100) + Buffer.byteLength(text) + 3;
    if (this.pendingBytes >= relayBatchBytes) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), deltaWindowMs);
  }

  /** Sends what the window holds now (before any other broadcast, and when the window ends). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.pendingBytes = 0;
    this.publish(batch);
  }

  /** Deltas another instance relayed: to this instance's connections, as the packets the generating instance wrote. */
  receive(batch: RelayedDeltas[]): void {
    for (const [conversationId, messageId, firstSeq, texts] of batch) {
      const packet = deltaPackets(conversationId, messageId);
      const room = conversationRoom(conversationId);
      for (const [index, text] of texts.entries()) this.writeLocal(room, packet(firstSeq + index, text));
    }
  }
}

/** The fan-out of the server's room adapter (adapter.ts gives every adapter one). */
export const fanOutOf = (io: AppServer) => (io.sockets.adapter as unknown as { fanOut: DeltaFanOut }).fanOut;

/**
 * Sends one reply's text to its conversation's room as deltas, numbering each by advancing
 * `reply.seq`: to this instance's connections at once, to the other instances within a window. A
 * piece of text is written at once when the reply's last write was half a window ago or more (a
 * model's pace: no delay); faster pieces gather until the window since the last write ends and go as
 * one delta. `reply.flushDeltas` sends what is held at once (its snapshot, its tool calls, its end).
 */
export function deltaWriter(
  io: AppServer,
  reply: { readonly conversationId: string; readonly messageId: string; seq: number; flushDeltas: () => void },
): (text: string) => void {
  const { conversationId, messageId } = reply;
  const fanOut = fanOutOf(io);
  const packet = deltaPackets(conversationId, messageId);
  const room = conversationRoom(conversationId);
  let held = '';
  let timer: NodeJS.Timeout | undefined;
  let lastWrite = Number.NEGATIVE_INFINITY;
  const flush = (now = performance.now()) => {
    clearTimeout(timer);
    timer = undefined;
    if (!held) return;
    const text = held;
    held = '';
    lastWrite = now;
    const seq = ++reply.seq;
    fanOut.writeLocal(room, packet(seq, text));
    if (!fanOut.alone()) fanOut.relay(conversationId, messageId, seq, text);
  };
  reply.flushDeltas = flush;
  return (text) => {
    held += text;
    if (timer) return;
    const now = performance.now();
    if (now - lastWrite >= deltaWindowMs / 2) flush(now);
    else timer = setTimeout(flush, deltaWindowMs - (now - lastWrite));
  };
}
