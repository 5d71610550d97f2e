// Cleaning a request before it is read: spelling mended, politeness and filler trimmed.
import { mend } from './words.ts';

const politePrefixes = [
  /^(ok(ay)?|so|um+|uh+|well|hey|hi|hello|yo|oh|sure|alright|right|actually|btw|also|and|then|now|just|quick(ly)?|oh and|ah)\b[,!.:]?\s+(?=\S)/i,
  /^(please|pls|kindly)\b[,]?\s+/i,
  /^(thanks|thank you|thx|cheers|great|perfect|cool|nice|awesome)\b[,!.]*\s+(?=\S)/i,
  /^(can|could|would|will|wud|cud) (you|u)( please| kindly| possibly| just| maybe| quickly)?\s+/i,
  /^(would|do) you mind\s+/i,
  /^(can|could|may) i (ask|get) you to\s+/i,
  /^i('d| would) (like|love|want) (for )?you to\s+/i,
  /^i (want|need) you to\s+/i,
  /^i was wondering if you could\s+/i,
  /^(it would be|it'd be) (great|nice|good|awesome|helpful) if you (could|would)\s+/i,
  /^if you (could|would|can)\s+/i,
  /^(go ahead and|do me a favou?r and|be a dear and|help me|let's|lets|let us)\s+/i,
  /^i think\s+/i,
];

const politeSuffixes =
  /[,]?\s+(please|pls|plz|for me|thanks|thank you|thx|if you can|if you could|if possible|when you get a chance|if you don't mind|now|mate)$/i;

/** Spelling mended word by word (verbs only in the first two words), quoted text left exactly as written. */
function mendWords(text: string): string {
  let position = 0;
  return text
    .split(/(["“”][^"“”]*["“”]|(?<=^|\s)'(?:[^']|'(?=[a-z]))+'(?=\s|$|[,.!?:]))/i)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/[A-Za-z0-9']+/g, (word) => (/^'|'$/.test(word) ? word : mend(word, position++ < 2)))))
    .join('');
}

/** The request with whitespace, final punctuation and politeness removed; the meaning kept. */
export function normalize(text: string): string {
  let result = mendWords(
    text
      .replace(/[’‘]/g, "'")
      // A list written one item a line ("add:\n- milk\n- eggs"): its items, as a list in a line.
      .replace(/:[ \t]*\r?\n[ \t]*(?:[-*•]|\d+[.)])?[ \t]*(?=\S)/g, ': ')
      .replace(/(?<=\S)[ \t]*\r?\n[ \t]*(?:[-*•]|\d+[.)])?[ \t]*(?=\S)/g, '; ')
      .replace(/^[ \t]*(?:[-*•]|\d+[.)])[ \t]+/, '')
      .trim()
      .replace(/\s+/g, ' ')
      .replace(/[.!?]+$/, '')
      .trim(),
  );
  for (let previous = ''; previous !== result; ) {
    previous = result;
    for (const prefix of politePrefixes) result = result.replace(prefix, '');
    result = result
      .replace(politeSuffixes, '')
      .replace(/[.!?,]+$/, '')
      .trim();
  }
  return result;
}

/** Words that may stand before the verb: "I've finished", "just watered", "you can mark". */
export const subject = /^((i|we)('ve| have| had|'m| am| just| already| finally| totally)*|you can|finally|just|already|all|i think|pretty sure i)\s+/i;

/** "'Buy milk'", "“Buy milk”": every quoted title in a request. */
export function quotedAll(text: string): string[] {
  return [...text.matchAll(/["“]([^"”]{1,255})["”]|(?:^|\s)'((?:[^']|'(?=[a-z]))+)'(?=\s|$|[,.!?:])/gi)].map((match) => (match[1] ?? match[2])!.trim());
}

/** A title as stored: no leading article or trailing filler, first letter upper-case. */
export function cleanTitle(text: string): string {
  const title = text
    .replace(/\s+(to|on|onto|in|into) (my|the) (todo |to-do |task |shopping )?(list|tasks)$/i, '')
    .replace(/\s+as an? (task|todo|reminder)$/i, '')
    .replace(/^[\s,:;-]+|[\s,:;.!-]+$/g, '')
    .replace(/^(a|an|the)\s+/i, '')
    .replace(/\s+/g, ' ');
  return title.charAt(0).toUpperCase() + title.slice(1);
}

/** What a pattern's group captured in the request as written (capitals and the full stop kept), the politeness before it left out. */
export function asWritten(pattern: RegExp, said: string, group: number): string | undefined {
  return pattern.exec(said.replace(/^(?:please|can you|could you|would you)\s+/i, ''))?.[group]?.trim();
}
