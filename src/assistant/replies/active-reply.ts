// A reply from the moment its message is stored until it is final: what it has streamed, what the
// database holds of it, and the controller that stops it (queued or streaming).
import type { StreamingSnapshot } from '../../conversations/conversations.schemas.ts';
import type { StoredToolCall, StoredToolResult } from '../../db/entities/index.ts';

/** What a checkpoint writes for one reply: the text after the first `keep` characters, and tools when they changed. */
export interface Checkpoint {
  id: string;
  keep: number;
  append: string;
  tool_calls: StoredToolCall[] | null;
  tool_results: StoredToolResult[] | null;
}

const countCharacters = (text: string) => {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
};

/**
 * A reply's text as it grows, as UTF-8 bytes outside the JavaScript heap. Appending a delta to a
 * string would keep a rope node and the delta alive until the next checkpoint, to be copied by every
 * young-generation GC meanwhile; here a delta is copied once and left to die young.
 */
class GrowingText {
  private bytes: Buffer;
  private used = 0;

  constructor(initial: string) {
    this.bytes = Buffer.allocUnsafe(Math.max(1024, Buffer.byteLength(initial) * 2));
    this.append(initial);
  }

  append(text: string): void {
    // A UTF-16 unit takes at most 3 UTF-8 bytes.
    const needed = this.used + text.length * 3;
    if (needed > this.bytes.length) {
      const larger = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(larger, 0, 0, this.used);
      this.bytes = larger;
    }
    this.used += this.bytes.write(text, this.used);
  }

  get byteLength(): number {
    return this.used;
  }

  /** The text from byte offset `from` (a boundary this class returned) to the end. */
  toString(from = 0): string {
    return this.bytes.toString('utf8', from, this.used);
  }
}

export class ActiveReply {
  readonly controller = new AbortController();
  seq = -1;
  private text = new GrowingText('');
  toolCalls: StoredToolCall[] = [];
  toolResults: StoredToolResult[] = [];
  /** What the database holds: text up to this byte (that many characters), this many tool entries. */
  private saved = { bytes: 0, characters: 0, tools: 0 };

  constructor(
    readonly conversationId: string,
    readonly messageId: string,
    /** For a reply going on after its user answered a held tool call: that answer. */
    readonly decision?: { toolCallId: string; approved: boolean },
  ) {}

  /** Takes up what a reply held for approval had streamed and stored, as already saved. */
  resumeFrom(stored: { content: string; toolCalls?: StoredToolCall[] | null; toolResults?: StoredToolResult[] | null; lastSeq?: number | null }): void {
    this.text = new GrowingText(stored.content);
    this.toolCalls = [...(stored.toolCalls ?? [])];
    this.toolResults = [...(stored.toolResults ?? [])];
    this.seq = stored.lastSeq ?? -1;
    this.saved = { bytes: this.text.byteLength, characters: countCharacters(stored.content), tools: this.toolCalls.length + this.toolResults.length };
  }

  /** Adds a streamed delta to the text. */
  append(delta: string): void {
    this.text.append(delta);
  }

  /** The text so far. */
  get content(): string {
    return this.text.toString();
  }

  get hasText(): boolean {
    return this.text.byteLength > 0;
  }

  /**
   * The change since the last checkpoint (undefined when none), with the function that records it
   * as saved. Only new text travels, so a checkpoint costs the same at the first word and the last.
   */
  checkpoint(): { checkpoint: Checkpoint; saved: () => void } | undefined {
    const bytes = this.text.byteLength;
    const tools = this.toolCalls.length + this.toolResults.length;
    if (bytes === this.saved.bytes && tools === this.saved.tools) return undefined;
    const append = this.text.toString(this.saved.bytes);
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
        this.saved = { bytes, characters: this.saved.characters + countCharacters(append), tools };
      },
    };
  }

  snapshot(): StreamingSnapshot {
    return {
      messageId: this.messageId,
      seq: this.seq,
      content: this.content,
      tool_calls: this.toolCalls.length ? [...this.toolCalls] : null,
      tool_results: this.toolResults.length ? [...this.toolResults] : null,
    };
  }
}
