// Which tasks a request names: numbers ("task 3", "#3", "the first one"), "it", quoted titles, words of titles.

import type { TaskReference } from './grammar.ts';
import { phraseWords } from './matching.ts';
import { quotedAll } from './text.ts';
import { numberWords } from './words.ts';

/** What separates the items of a list in a request: commas, "and", "&", "plus". */
export const listSeparator = /\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s+plus\s+/i;

/** "task 3", "#3", "number three", "the first one", "3": a task's number. */
export function findNumber(text: string): number | undefined {
  const word = /^(?:(?:the|tasks?|todos?|to-do|items?|number|no\.?|#)\s*)*#?\s*([a-z]+|\d{1,9})(?:\s+(?:one|task|item))?$/i.exec(text.trim())?.[1];
  const inside = /(?:\b(?:tasks?|todos?|items?)(?:\s+(?:number|no\.?))?|\bnumber|#)\s*#?\s*(\d{1,9})\b/i.exec(text)?.[1];
  const found = word ?? inside;
  if (!found) return undefined;
  const value = /^\d+$/.test(found) ? Number(found) : numberWords[found.toLowerCase()];
  return value && value > 0 ? value : undefined;
}

/** Which task a phrase means: its number, "it", or words of its title. */
export function findReference(phrase: string): TaskReference | undefined {
  const text = phrase.replace(/^[\s,:;-]+|[\s,:;.!-]+$/g, '');
  const number = findNumber(text);
  if (number !== undefined) return { number };
  const [quoted] = quotedAll(text);
  if (quoted) return { phrase: quoted };
  if (/^(it|that|this|that one|this one|the last one|the one)$/i.test(text)) return { it: true };
  const words = phraseWords(text);
  return words.length ? { phrase: words.join(' ') } : undefined;
}

/** Several tasks named in one breath: "1 and 3", "tasks 2, 5 and 8", "the milk and the rent". */
export function findReferences(text: string): TaskReference[] {
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
