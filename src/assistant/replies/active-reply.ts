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

export class ActiveReply {
  readonly controller = new AbortController();
  seq = -1;
  /**
   * The text: what was joined so far, and the deltas since. Deltas are joined once a checkpoint (or
   * a reader) needs them, not one string concatenation per delta (a rope node each, kept alive and
   * copied by the young-generation GC until the text is read).
   */
  private joined = '';
  private deltas: string[] = [];
  toolCalls: StoredToolCall[] = [];
  toolResults: StoredToolResult[] = [];
  /** What the database holds: text up to this UTF-16 index (that many characters), this many tool entries. */
  private saved = { units: 0, characters: 0, tools: 0 };

  constructor(
    readonly conversationId: string,
    readonly messageId: string,
    /** For a reply going on after its user answered a held tool call: that answer. */
    readonly decision?: { toolCallId: string; approved: boolean },
  ) {}

  /** Takes up what a reply held for approval had streamed and stored, as already saved. */
  resumeFrom(stored: { content: string; toolCalls?: StoredToolCall[] | null; toolResults?: StoredToolResult[] | null; lastSeq?: number | null }): void {
    this.joined = stored.content;
    this.deltas = [];
    this.toolCalls = [...(stored.toolCalls ?? [])];
    this.toolResults = [...(stored.toolResults ?? [])];
    this.seq = stored.lastSeq ?? -1;
    this.saved = { units: this.joined.length, characters: countCharacters(this.joined), tools: this.toolCalls.length + this.toolResults.length };
  }

  /** Adds a streamed delta to the text. */
  append(delta: string): void {
    this.deltas.push(delta);
  }

  /** The text so far. */
  get content(): string {
    if (this.deltas.length) {
      this.joined += this.deltas.join('');
      this.deltas = [];
    }
    return this.joined;
  }

  get hasText(): boolean {
    return this.joined.length > 0 || this.deltas.some((delta) => delta.length > 0);
  }

  /**
   * The change since the last checkpoint (undefined when none), with the function that records it
   * as saved. Only new text travels, so a checkpoint costs the same at the first word and the last.
   */
  checkpoint(): { checkpoint: Checkpoint; saved: () => void } | undefined {
    const content = this.content;
    const units = content.length;
    const tools = this.toolCalls.length + this.toolResults.length;
    if (units === this.saved.units && tools === this.saved.tools) return undefined;
    const append = content.slice(this.saved.units);
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
        this.saved = { units, characters: this.saved.characters + countCharacters(append), tools };
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
