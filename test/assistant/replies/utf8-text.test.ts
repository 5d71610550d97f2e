// A reply's text as UTF-8 bytes: whatever the pieces and wherever they are cut (even between the two
// halves of an emoji), reading it back gives exactly what was appended.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Text } from '../../../src/assistant/replies/utf8-text.ts';

describe('Utf8Text', () => {
  it('gives back the appended pieces, from the start or from any mark, however they were cut', () => {
    // Text of any characters, cut at any UTF-16 positions: a cut may split a surrogate pair.
    const cutText = fc.tuple(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(fc.nat(), { maxLength: 8 })).map(([whole, cuts]) => {
      const at = [...new Set(cuts.map((cut) => cut % (whole.length + 1)))].sort((a, b) => a - b);
      return [0, ...at].map((start, i) => whole.slice(start, at[i] ?? whole.length));
    });
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 10 }), cutText, (initial, pieces) => {
        const text = new Utf8Text(initial);
        const mark = text.byteLength;
        let appended = '';
        for (const piece of pieces) {
          text.append(piece);
          appended += piece;
          expect(text.toString()).toBe(initial + appended);
        }
        // The pieces make whole characters again: a mark sees all that came after it.
        expect(text.since(mark)).toBe(appended);
        expect(text.isEmpty).toBe(initial + appended === '');
      }),
      { numRuns: 500 },
    );
  });

  it('holds the first half of a split emoji back from marks until its second half arrives', () => {
    const text = new Utf8Text();
    text.append('Party 🎉'.slice(0, 7));
    expect(text.since(0)).toBe('Party ');
    expect(text.toString()).toBe('Party \ud83c');
    text.append('\udf89!');
    expect(text.since(0)).toBe('Party 🎉!');
    expect(text.byteLength).toBe(Buffer.byteLength('Party 🎉!'));
  });

  it('grows past its first buffer without losing text', () => {
    const text = new Utf8Text();
    const pieces = Array.from({ length: 3_000 }, (_, i) => (i % 2 ? 'ü🎉 ' : `word${i} `));
    for (const piece of pieces) text.append(piece);
    expect(text.toString()).toBe(pieces.join(''));
  });
});
