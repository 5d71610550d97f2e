// The tasks a request asks to add: titles split from lists, each with its own due date and priority.

import { localMoment } from '../../../shared/dates.ts';
import type { Intent, NewTask } from './grammar.ts';
import { findPriority, stripPriority } from './priorities.ts';
import { listSeparator, takeListName } from './references.ts';
import { extractRecurrence } from './repeats.ts';
import { cleanTitle, quotedAll } from './text.ts';
import { type Clock, extractDate } from './when.ts';
import { lemma, taskVerbs } from './words.ts';

/** Splits "milk, eggs and bread" or "call mom and pay rent" into tasks, but keeps "buy salt and pepper" whole. */
function splitTitles(text: string): string[] {
  const quoted = quotedAll(text);
  if (quoted.length > 1) return quoted;
  const parts = text.split(listSeparator).filter((part) => part.trim());
  if (parts.length < 2) return [text];
  const startsWithVerb = (part: string) => taskVerbs.has(lemma(part.trim().split(' ')[0] ?? ''));
  if (parts.slice(1).every(startsWithVerb)) return parts;
  if (!parts.some(startsWithVerb) && parts.every((part) => part.trim().split(' ').length <= 3)) return parts;
  return [text];
}

/** The tasks `body` (the words after the verb or frame) asks to add. */
export function readNewTasks(text: string, clock: Clock): Intent {
  // "add milk and bread to the family list": every task goes to the list named.
  const { list, rest: body } = takeListName(text);
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
  return { kind: 'add', tasks };
}
