// A reply from the moment its message is stored until it is final: what it has streamed, what the
// database holds of it, and the controller that stops it (queued or streaming).
import type { StreamingSnapshot } from '../../conversations/conversations.schemas.ts';
import type { StoredToolCall, StoredToolResult } from '../../db/entities/index.ts';
import { Utf8Text } from './utf8-text.ts';

/** What a checkpoint writes for one reply: the text (UTF-8) after the first `keep` characters, and tools when they changed. */
export interface Checkpoint {
  id: string;
  keep: number;
  append: Buffer;
  tool_calls: StoredToolCall[] | null;
  tool_results: StoredToolResult[] | null;
}

export class ActiveReply {
  readonly controller = new AbortController();
  /** The number of the last delta sent (−1 before the first); the reply's delta emitter advances it. */
  seq = -1;
  /** Sends at once the text the delta emitter holds (it sets this): the text and the seq then agree. */
  flushDeltas: () => void = () => {};
  /** The text streamed so far (the agent appends to it). */
  text = new Utf8Text();
  toolCalls: StoredToolCall[] = [];
  toolResults: StoredToolResult[] = [];
  /** What the database holds: text up to this byte of `text` (that many characters), this many tool entries. */
  private saved = { bytes: 0, characters: 0, tools: 0 };

  constructor(
    readonly conversationId: string,
    readonly messageId: string,
    /** For a reply going on after its user answered a held tool call: that answer. */
    readonly decision?: { toolCallId: string; approved: boolean },
  ) {}

  /** Takes up what a reply held for approval had streamed and stored, as already saved. */
  resumeFrom(stored: { content: string; toolCalls?: StoredToolCall[] | null; toolResults?: StoredToolResult[] | null; lastSeq?: number | null }): void {
    this.text = new Utf8Text(stored.content);
    this.toolCalls = [...(stored.toolCalls ?? [])];
    this.toolResults = [...(stored.toolResults ?? [])];
    this.seq = stored.lastSeq ?? -1;
    const bytes = this.text.byteLength;
    this.saved = { bytes, characters: this.text.characters(0, bytes), tools: this.toolCalls.length + this.toolResults.length };
  }

  /** The text so far. */
  get content(): string {
    return this.text.toString();
  }

  /**
   * The change since the last checkpoint (undefined when none), with the function that records it
   * as saved. Only new text travels, so a checkpoint costs the same at the first word and the last.
   */
  checkpoint(): { checkpoint: Checkpoint; saved: () => void } | undefined {
    const bytes = this.text.byteLength;
    const tools = this.toolCalls.length + this.toolResults.length;
    if (bytes === this.saved.bytes && tools === this.saved.tools) return undefined;
    const from = this.saved.bytes;
    const append = this.text.bytesSince(from);
    const toolsChanged = tools !== this.saved.tools;
    return {
      checkpoint: {
        id: this.messageId,
        keep: this.saved.characters,
        append,
        tool_calls: toolsChanged && this.toolCalls.length ? this.toolCalls : null,
        tool_results: toolsChanged && this.toolResults.length ? this.toolResults : null,
      },
      saved: () => {
        this.saved = { bytes, characters: this.saved.characters + this.text.characters(from, bytes), tools };
      },
    };
  }

  /** The reply exactly as far as its last delta sent (held text is sent first, so `content` and `seq` agree). */
  snapshot(): StreamingSnapshot {
    this.flushDeltas();
    return {
      messageId: this.messageId,
      seq: this.seq,
      content: this.content,
      tool_calls: this.toolCalls.length ? [...this.toolCalls] : null,
      tool_results: this.toolResults.length ? [...this.toolResults] : null,
    };
  }
}
