// What a request says to change on a task: its title, priority (absolute or a step), due date or
// completion, and which task — shared by the intents that change tasks.
import type { TaskPriority } from '../../../db/entities/index.ts';
import type { Intent, TaskChanges } from './grammar.ts';
import { findPriority, priorityShift, stripPriority } from './priorities.ts';
import { findReference } from './references.ts';
import { cleanTitle, quotedAll } from './text.ts';
import { type Clock, extractDate } from './when.ts';

/** "not done", "pending", "to do": a task's state as not (yet) completed. */
export const notDone = /\b(not (yet )?(done|complete|completed|finished)|undone|incomplete|uncompleted|unfinished|pending|open|to ?do|in progress)\b/i;

const datePhrase =
  /^(next|this|tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|in \d|\d{4}-|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;

/** "rename 3 to Call mom", "move the dentist to friday", "make 4 urgent": the change `body` (the words after `verb`) asks for. */
export function readChange(body: string, verb: string, clock: Clock): Intent | undefined {
  const split = /^(.*?)\s*(?:\s(?:to|into|->|=)|:)\s+(.+)$/i.exec(body) ?? /^(.*?)\s*(?:\s(?:as|until|till|for|at))\s+(.+)$/i.exec(body);
  const target = split?.[1] ?? body;
  const dueValue = /^(due|by)\s+/i.test(split?.[2] ?? '');
  const value = (split?.[2] ?? '').replace(/^(due|by)\s+/i, '');
  const changes: TaskChanges = {};
  const [explicitTitle] = quotedAll(value || body);
  const bare = /^(high|low|medium|normal)$/i.exec(value.trim())?.[1]?.toLowerCase();
  const priority =
    findPriority(value) ??
    (bare ? (bare === 'normal' ? 'medium' : (bare as TaskPriority)) : undefined) ??
    (/\b(urgent|important|high|low|priority)\b/i.test(target) && !/^(lower|raise)/.test(verb) ? findPriority(target) : undefined);
  // "make it friday": a date is all a task just named can be made.
  const wantsDate =
    dueValue ||
    /^(reschedule|move|push|postpone|delay|bump|shift|bring forward|extend)$/.test(verb) ||
    /\b(due|deadline|date)\b/i.test(target) ||
    (/^(make|set)$/.test(verb) && /^(it|that|this)\b/i.test(target));
  // Each text is parsed for a date once: the value, and the whole body when a date is asked for.
  const valueDate = value ? extractDate(value, clock).date : undefined;
  const bodyDate = wantsDate ? extractDate(body, clock).date : undefined;
  const relative = priorityShift(`${verb} ${body}`);
  if (/\b(un-?complete|reopen|uncheck|untick|unmark|restore|undo)\b/i.test(verb) || notDone.test(value)) changes.completed = false;
  else if (explicitTitle && !/\b(due|priority)\b/i.test(target)) changes.title = explicitTitle;
  else if (priority) changes.priority = priority;
  else if (value && (wantsDate || datePhrase.test(value)) && valueDate) changes.due_date = valueDate;
  else if (/^(no date|no due date|none|nothing)$/i.test(value)) changes.due_date = null;
  else if (relative && (!value || /^(up|down)$/i.test(value)) && !bodyDate) changes.priorityStep = relative;
  else if (bodyDate) changes.due_date = bodyDate;
  else if (value && !/^(up|down)$/i.test(value)) changes.title = cleanTitle(value);
  else if (relative) changes.priorityStep = relative;
  const named = changes.due_date !== undefined && !split ? extractDate(target, clock).rest : target;
  const refText = (priority ? stripPriority(named) : named)
    .replace(/\b(the )?(title|name|due date|deadline|date|priority|description)\s+(of|for|on)\b/gi, '')
    .replace(/['’]s\s+(title|name|due date|deadline|date|priority|description)\b/gi, '')
    .replace(/\b(title|name|due date|deadline|date|priority|description|due)$/i, '')
    .replace(/\b(up|down|a bit|a little|more|less) ?(important|urgent)?$/i, '')
    .replace(/\b(up|down)\b/gi, '');
  const ref = findReference(refText);
  return ref ? { kind: 'update', ref, changes } : undefined;
}
