// The tasks a request asks to add: titles split from lists, each with its own due date and priority.

import { localMoment } from '../../../shared/dates.ts';
import type { Intent, NewTask } from './grammar.ts';
import { findPriority, stripPriority } from './priorities.ts';
import { listSeparator, takeListName } from './references.ts';
import { extractRecurrence } from './repeats.ts';
import { cleanTitle, quotedAll } from './text.ts';
import { type Clock, extractDate } from './when.ts';
import { lemma, taskVerbs } from './words.ts';

/** Whether a title starts with something to do ("call …", "buy …"). */
export const startsWithVerb = (text: string) => taskVerbs.has(lemma(text.trim().split(' ')[0] ?? ''));

const wordCount = (text: string) => text.trim().split(/\s+/).length;

/**
 * Splits "milk, eggs and bread" or "call mom and pay rent" into tasks, but keeps "buy salt and pepper"
 * whole. Three or more short items are a list whatever they start with, and a verb only the first has
 * goes with each: "buy apples, pears and grapes" is three things to buy.
 */
function splitTitles(text: string): string[] {
  const quoted = quotedAll(text);
  if (quoted.length > 1) return quoted;
  const parts = text
    .split(listSeparator)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length < 2) return [text];
  if (parts.slice(1).every(startsWithVerb)) return parts;
  const verbless = !parts.some(startsWithVerb);
  if (verbless && parts.every((part) => wordCount(part) <= 3)) return parts;
  if (parts.length < 3 || !parts.every((part) => wordCount(part) <= 5)) return [text];
  const [first, ...others] = parts;
  if (startsWithVerb(first!) && !others.some(startsWithVerb)) {
    const verb = first!.split(' ')[0]!;
    return [first!, ...others.map((part) => `${verb} ${part}`)];
  }
  return parts;
}

const taskNote = /(?:\s*[,;(]\s*(?:with\s+(?:a|the)\s+)?(?:note|notes|description|details)\s*[:-]|\s+with\s+(?:a|the)\s+(?:note|description)\b:?)\s*(.+?)\)?$/i;

/** The tasks `body` (the words after the verb or frame) asks to add. */
export function readNewTasks(text: string, clock: Clock): Intent {
  // "add call the bank, note: ask about the fee": a note for the task, as written.
  const note = taskNote.exec(text);
  const request = note ? text.slice(0, note.index) : text;
  // "add milk and bread to the family list": every task goes to the list named.
  const { list, rest: body } = takeListName(request);
  const rest = body
    .replace(
      /^\s*(also\s+)?((a|an|the|another|new|task|tasks|todo|todos|to-do|item|items|reminder|note|these|this|following|\d+|two|three|four|urgent|important|high|low|normal|medium|priority|high-priority|low-priority)([\s:,-]+|$))*/i,
      '',
    )
    .replace(/^\s*(to|for|that|about|called|named|titled|saying|:)\s+/i, '')
    .replace(/^\s*(remember|remind me)\s+(to\s+)?/i, '')
    .trim();
  // "add urgent: fix the tap": a priority in the words before the title applies to every task.
  const leading = findPriority(body.slice(0, Math.max(body.indexOf(rest), 0)));
  const tasks = splitTitles(rest).map((part): NewTask => {
    const [quoted] = quotedAll(part);
    const outside = quoted ? part.replace(/["“'‘][^"”'’]*["”'’]/, ' ') : part;
    const priority = findPriority(outside) ?? leading;
    // "gym every monday at 9": the repeat's first day ("monday") stays for the date reader.
    const { rule, rest: once } = extractRecurrence(outside, clock);
    const { date: found, rest: withoutDate } = extractDate(once, clock);
    // A repeat starts on its first day, today when the words name none.
    const date = found ?? (rule ? localMoment(clock.now, clock.timeZone).date : undefined);
    const title = cleanTitle(quoted ?? stripPriority(withoutDate));
    return {
      title: title || cleanTitle(part),
      ...(priority ? { priority } : {}),
      ...(date ? { due_date: date } : {}),
      ...(list ? { list } : {}),
      ...(rule ? { recurrence: rule } : {}),
    };
  });
  if (note && tasks.length === 1) tasks[0]!.description = note[1]!.trim();
  return { kind: 'add', tasks };
}
