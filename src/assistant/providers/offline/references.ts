// Which tasks a request names: numbers ("task 3", "#3", "the first one"), "it", quoted titles, words of titles.

import type { TaskReference } from './grammar.ts';
import { phraseWords } from './matching.ts';
import { quotedAll } from './text.ts';
import { numberWords } from './words.ts';

/** What separates the items of a list in a request: commas, "and", "&", "plus". */
export const listSeparator = /\s*[,;]\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s+plus\s+/i;

/** "task 3", "#3", "number three", "the first one", "3": a task's number. */
export function findNumber(text: string): number | undefined {
  const word = /^(?:(?:the|tasks?|todos?|to-do|items?|number|no\.?|#)\s*)*#?\s*([a-z]+|\d{1,9})(?:\s+(?:one|task|item))?$/i.exec(text.trim())?.[1];
  const inside = /(?:\b(?:tasks?|todos?|items?)(?:\s+(?:number|no\.?))?|\bnumber|#)\s*#?\s*(\d{1,9})\b/i.exec(text)?.[1];
  const found = word ?? inside;
  if (!found) return undefined;
  const value = /^\d+$/.test(found) ? Number(found) : numberWords[found.toLowerCase()];
  return value && value > 0 ? value : undefined;
}

const ordinalWords =
  'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|top|last|bottom|penultimate|second[ -]to[ -]last|next[ -]to[ -]last|\\d{1,2}(?:st|nd|rd|th)';
const ordinalPattern = new RegExp(`^(?:the\\s+)?(${ordinalWords})(?:\\s+(?:one|task|item|todo))?(?:\\s+(?:on|in) (?:the|that|my) list)?$`, 'i');

/** "the third one", "the 2nd", "the last one": a place in the last listing (1 the first, -1 the last). */
function findPosition(text: string): number | undefined {
  const word = ordinalPattern.exec(text)?.[1]?.toLowerCase();
  if (!word) return undefined;
  if (/^(last|bottom)$/.test(word)) return -1;
  if (/^(penultimate|second.to.last|next.to.last)$/.test(word)) return -2;
  if (word === 'top') return 1;
  return /^\d/.test(word) ? Number.parseInt(word, 10) || undefined : numberWords[word];
}

/** "them", "both", "those": every task named last. */
const themPattern =
  /^(them|those|these|both|both of them|all of them|them all|them both|all of those|all those|all three|all four|those ones|these ones|the two|the two of them)$/i;

/** Which task a phrase means: its number, a place in the last listing, "it", "them", or words of its title. */
export function findReference(phrase: string): TaskReference | undefined {
  const text = phrase.replace(/^[\s,:;-]+|[\s,:;.!-]+$/g, '');
  const position = findPosition(text);
  if (position !== undefined) return { position };
  if (themPattern.test(text)) return { them: true };
  const number = findNumber(text);
  if (number !== undefined) return { number };
  const [quoted] = quotedAll(text);
  if (quoted) return { phrase: quoted };
  if (/^(it|that|this|that one|this one|the one|that task|this task)$/i.test(text)) return { it: true };
  const words = phraseWords(text);
  return words.length ? { phrase: words.join(' ') } : undefined;
}

/** "the first two", "the last three", "the top 3": places at one end of the last listing. */
function findPositions(text: string): TaskReference[] | undefined {
  const match = /^(?:the\s+)?(first|top|last|bottom)\s+(\w+)(?:\s+(?:ones|tasks|items|of them))?$/i.exec(text.trim());
  const count = match && (/^\d+$/.test(match[2]!) ? Number(match[2]) : numberWords[match[2]!.toLowerCase()]);
  if (!count || count < 2 || count > 20) return undefined;
  const fromEnd = /^(last|bottom)$/i.test(match[1]!);
  return Array.from({ length: count }, (_, index) => ({ position: fromEnd ? index - count : index + 1 }));
}

/** Several tasks named in one breath: "1 and 3", "tasks 2, 5 and 8", "the milk and the rent", "the first two". */
export function findReferences(text: string): TaskReference[] {
  const positions = findPositions(text);
  if (positions) return positions;
  if (themPattern.test(text.trim())) return [{ them: true }];
  const quoted = quotedAll(text);
  if (quoted.length > 1) return quoted.map((phrase) => ({ phrase }));
  const parts = text
    .replace(/^(all of|both|all)\s+/i, '')
    .split(listSeparator)
    .filter(Boolean);
  // "tasks 2, 5 and 8": the noun before the first number names them all.
  const refs = parts.map((part) => findReference(/^\d+$/.test(part) ? `task ${part}` : part));
  return refs.every(Boolean) && refs.length > 0 ? (refs as TaskReference[]) : ([findReference(text)].filter(Boolean) as TaskReference[]);
}

/** The object of a verb: what follows it, without "as done", "off my list" and the like. */
export function objectOf(text: string): string {
  return text
    .replace(/^\s*(with|off|about|of|out|up|away)\s+/i, '')
    .replace(/\s+(from|off|on) (my|the) (todo |to-do |task )?(list|tasks)\b.*$/i, '')
    .replace(/\s+(as|to|is|are|was)\s+(done|complete|completed|finished|paid)\b.*$/i, '')
    .replace(/\s+(done|complete|completed|finished|off|for me|already|now)$/i, '')
    .replace(/^\s*(as\s+)?(done|complete|completed|finished)\s*:\s*/i, '')
    .replace(/^[\s:,-]+/, '')
    .trim();
}

/** `make(ref)` when a reference was found, else undefined. */
export function withRef<T>(ref: TaskReference | undefined, make: (ref: TaskReference) => T): T | undefined {
  return ref ? make(ref) : undefined;
}

/** "to the family list", "on our team list", "from the Shopping list": a list named in a request (never "my list", the personal one). */
const listWord = String.raw`(?!(?:to|on|in|into|onto|my|your|of|for|from|the|a|an|and|todo|to-do|task|tasks)\b)[a-z0-9][\w'’-]*`;
const listNamePattern = new RegExp(String.raw`\s*\b(?:to|on|onto|in|into|from|for)?\s*(?:the|our)\s+(${listWord}(?:\s+${listWord}){0,2}?)\s+list\b`, 'i');
/\s*\b(?:to|on|onto|in|into|from|for)?\s*(?:the|our)\s+((?!(?:todo|to-do|to do|task|tasks)\b)[a-z0-9][\w'’-]*(?:\s+[a-z0-9][\w'’-]*){0,2}?)\s+list\b/i;

/** The list a request names, and the request without it. */
export function takeListName(text: string): { list?: string; rest: string } {
  const match = listNamePattern.exec(text);
  if (!match) return { rest: text };
  return { list: match[1]!.toLowerCase(), rest: `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`.replace(/\s+/g, ' ').trim() };
}
