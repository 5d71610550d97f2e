// The text of a streaming reply, kept as UTF-8 in one growing buffer. A reply streams thousands of
// small deltas; kept as strings (a list, or a rope of concatenations) each of them stays alive until
// the reply is read and is copied by every young-generation GC meanwhile. Written into a buffer, a
// delta leaves nothing behind for the GC, and a checkpoint sends the new bytes as they are.

const highSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

export class Utf8Text {
  private bytes: Buffer;
  private used = 0;
  /** A high surrogate that ended the last piece: its low half comes with the next one (UTF-8 can only encode the pair whole). */
  private pendingHalf = '';

  constructor(initial = '') {
    this.bytes = Buffer.allocUnsafe(Math.max(256, Buffer.byteLength(initial)));
    this.append(initial);
  }

  /** Where the text ends, in bytes: a mark for `since`. */
  get byteLength(): number {
    return this.used;
  }

  get isEmpty(): boolean {
    return this.used === 0 && !this.pendingHalf;
  }

  append(piece: string): void {
    if (this.pendingHalf) {
      piece = this.pendingHalf + piece;
      this.pendingHalf = '';
    }
    // At most three bytes per UTF-16 unit.
    const needed = this.used + piece.length * 3;
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    // ASCII, most of a model's text, is copied unit by unit: cheaper than a call into Buffer#write
    // for a delta of a few characters. The first other unit hands the rest to Buffer#write.
    const { bytes } = this;
    let used = this.used;
    let i = 0;
    for (; i < piece.length; i++) {
      const unit = piece.charCodeAt(i);
      if (unit >= 0x80) break;
      bytes[used++] = unit;
    }
    this.used = used;
    if (i === piece.length) return;
    let rest = piece.slice(i);
    if (highSurrogate(rest.charCodeAt(rest.length - 1))) {
      this.pendingHalf = rest.slice(-1);
      rest = rest.slice(0, -1);
    }
    this.used += bytes.write(rest, used);
  }

  /** The text from a mark (`byteLength` at some earlier moment) to the end, but for a half character awaiting its other half. */
  since(mark: number): string {
    return this.bytes.toString('utf8', mark, this.used);
  }

  /**
   * The bytes from a mark to the end, without a copy. They stay as they are: bytes once written
   * never change, and a grown text writes into a new buffer.
   */
  bytesSince(mark: number): Buffer {
    return this.bytes.subarray(mark, this.used);
  }

  /** Characters (code points, as PostgreSQL counts them) between two marks: the bytes that begin one. */
  characters(from: number, to: number): number {
    let count = 0;
    for (let i = from; i < to; i++) if ((this.bytes[i]! & 0xc0) !== 0x80) count += 1;
    return count;
  }

  toString(): string {
    return this.since(0) + this.pendingHalf;
  }
}
