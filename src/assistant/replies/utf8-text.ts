// The text of a streaming reply, kept as UTF-8 in one growing buffer. A reply streams thousands of
// small deltas; kept as strings (a list, or a rope of concatenations) each of them stays alive until
// the reply is read and is copied by every young-generation GC meanwhile. Written into a buffer, a
// delta leaves nothing behind for the GC.

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
    if (piece.length > 0 && highSurrogate(piece.charCodeAt(piece.length - 1))) {
      this.pendingHalf = piece.slice(-1);
      piece = piece.slice(0, -1);
    }
    // At most three bytes per UTF-16 unit.
    const needed = this.used + piece.length * 3;
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.used += this.bytes.write(piece, this.used);
  }

  /** The text from a mark (`byteLength` at some earlier moment) to the end, but for a half character awaiting its other half. */
  since(mark: number): string {
    return this.bytes.toString('utf8', mark, this.used);
  }

  toString(): string {
    return this.since(0) + this.pendingHalf;
  }
}
