// The offline assistant's reading of one English request: which action, on which task, with what.
import * as chrono from 'chrono-node';
import type { TaskPriority } from '../../../db/entities/index.ts';
import { numberWords, stopWords } from './vocabulary.ts';

export type TaskReference = { number: number } | { it: true } | { words: string[]; phrase: string };

export interface TaskChanges {
  title?: string;
  priority?: TaskPriority;
  due_date?: string | null;
  completed?: boolean;
  description?: string;
}

export type Intent =
  | { kind: 'add'; title: string; priority?: TaskPriority; due_date?: string }
  | { kind: 'list'; status: 'all' | 'pending' | 'completed'; priority?: TaskPriority; search?: string; count: boolean }
  | { kind: 'complete'; ref: TaskReference }
  | { kind: 'delete'; ref: TaskReference }
  | { kind: 'update'; ref: TaskReference; changes: TaskChanges }
  | { kind: 'chat'; topic: 'greeting' | 'thanks' | 'help' | 'identity' | 'wellbeing' | 'unknown'; suggestion?: string };

const smallTalk: [RegExp, Extract<Intent, { kind: 'chat' }>['topic']][] = [
  [/^(hi|hello|hey|hiya|yo|good (morning|afternoon|evening)|greetings|howdy)( there)?( taskstream)?$/i, 'greeting'],
  [/^(thanks|thank you|thx|ty|cheers|great|awesome|perfect|nice|cool|ok(ay)?|got it)( (so|very) much)?( thanks)?$/i, 'thanks'],
  [/^(help|what can you do|how does this work|how do (i|you) use (this|you)|commands)$/i, 'help'],
  [/^(who|what) are you$/i, 'identity'],
  [/^(how are you( doing)?|how's it going|what's up|sup)$/i, 'wellbeing'],
];

/** Lower-level cleanup: trims politeness and punctuation that never carries meaning. */
function normalize(text: string): string {
  let result = text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[.!?]+$/, '')
    .trim();
  for (let previous = ''; previous !== result; ) {
    previous = result;
    result = result
      .replace(/^(ok(ay)?|so|um+|well|hey|hi|hello|yo)[,!.]?\s+(?=\S)/i, '')
      .replace(/^(please|pls|kindly)\s+/i, '')
      .replace(/^(can|could|would|will) you (please )?/i, '')
      .replace(/^(i'?d like|i would like|i want) you to /i, '')
      .replace(/^(just|also|and|then|now)\s+/i, '')
      .replace(/[,]?\s+(please|for me|thanks|thank you)$/i, '')
      .trim();
  }
  return result;
}

const priorityPatterns: [RegExp, TaskPriority][] = [
  [/\b(urgent(ly)?|asap|critical|top priority|immediately|right away)\b/i, 'urgent'],
  [/\b(high[- ]priority|priority high|important)\b/i, 'high'],
  [/\b(low[- ]priority|priority low|not (urgent|important)|whenever|someday)\b/i, 'low'],
  [/\b(medium|normal)([- ]priority)?\b/i, 'medium'],
];

function findPriority(text: string): TaskPriority | undefined {
  return priorityPatterns.find(([pattern]) => pattern.test(text))?.[1];
}

/** Removes a priority phrase from a would-be title ("buy milk, it's urgent" → "buy milk"). */
function stripPriority(text: string): string {
  return text
    .replace(
      /[,(]?\s*(it'?s|it is|as|with|at|mark(ed)? (it )?as|make it|set to)?\s*(an?\s+)?(urgent(ly)?|asap|critical|top priority|high[- ]priority|low[- ]priority|important|not urgent|medium[- ]priority|normal[- ]priority)(\s+priority)?\s*[)]?/gi,
      ' ',
    )
    .replace(/\s+(priority)\b/gi, ' ')
    .trim();
}

function toIsoDate(result: chrono.ParsedResult): string {
  const date = result.start.date();
  return result.start.isCertain('hour') ? date.toISOString() : date.toISOString().slice(0, 10);
}

/** Finds a date or time in free text and returns it with the text around it removed. */
function extractDate(text: string, now: Date): { date?: string; rest: string } {
  const [found] = chrono.parse(text, now, { forwardDate: true });
  if (!found) return { rest: text };
  const before = text.slice(0, found.index).replace(/\s*\b(by|on|at|due|before|for|until|till|in|from)\s*$/i, '');
  const rest = `${before} ${text.slice(found.index + found.text.length)}`.replace(/\s+/g, ' ').trim();
  return { date: toIsoDate(found), rest };
}

function quoted(text: string): string | undefined {
  return /["“'‘]([^"”'’]{1,255})["”'’]/.exec(text)?.[1]?.trim();
}

function cleanTitle(text: string): string {
  const title = text
    .replace(/\s+(to|on|onto|in|into) (my|the) (todo |to-do |task )?(list|tasks)$/i, '')
    .replace(/\s+as an? (task|todo|reminder)$/i, '')
    .replace(/^[\s,:;-]+|[\s,:;.!-]+$/g, '')
    .replace(/\s+/g, ' ');
  return title.charAt(0).toUpperCase() + title.slice(1);
}

/** "task 3", "#3", "number three", "3" at the start of the object: the task's number. */
function findNumber(text: string): number | undefined {
  const candidates = [
    ...text.matchAll(/(?:\b(?:task|todo|to-do|item)(?:\s+(?:number|no\.?))?|\bnumber|\bno\.|#)\s*#?\s*(\d{1,9}|[a-z]+)\b/gi),
    ...text.trim().matchAll(/^(\d{1,9})\b/g),
  ];
  for (const [, word] of candidates) {
    const value = /^\d+$/.test(word!) ? Number(word) : numberWords[word!.toLowerCase()];
    if (value && value > 0) return value;
  }
  return undefined;
}

/** Reads which task a phrase means: its number, "it", or words of its title. */
function findReference(phrase: string): TaskReference | undefined {
  const number = findNumber(phrase);
  if (number !== undefined) return { number };
  const text = phrase
    .replace(/["“”'‘’]/g, ' ')
    .replace(/'s\b/g, '')
    .trim();
  if (/^(it|that|this|that one|this one|the last one|the one)$/i.test(text)) return { it: true };
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9@&+-]+/i)
    .filter((word) => word && !stopWords.has(word));
  return words.length ? { words: words.slice(0, 6), phrase: words.join(' ') } : undefined;
}

// Leading verbs, tried in order; the first that starts the request decides (the main verb decides).
const addLead =
  /^(add|create|make a|make an|make new|put|insert|jot down|note down|write down|log|record|new|set a reminder|set up a reminder|schedule|plan)\b/i;
const rememberLead =
  /^(remember|remind me|don'?t (let me )?forget|don'?t forget|i (really )?((need|have|got|ought|want) to|should|must|gotta)|i'?ve got to|i'?ll need to|need to|have to|gotta|todo|to-do|to do:)\b/i;
const deleteLead = /^(delete|remove|get rid of|cancel|drop|erase|trash|discard|scrap|scratch|forget about|forget|kill|nuke|throw away|take off|clear)\b/i;
const reopenLead = /^(uncheck|untick|reopen|re-open|undo|unmark|restore)\b/i;
const completeLead =
  /^(mark|check off|check|tick off|tick|complete|finish|finished|done|close|i(?:'ve| have| just)?\s+(finished|completed|done|did|closed))\b/i;
const updateLead = /^(change|rename|update|edit|modify|reschedule|move|push|postpone|delay|bump|set|make|call|retitle|prioriti[sz]e|deprioriti[sz]e|switch)\b/i;
const listLead =
  /^(show|list|display|view|see|get|give me|tell me|read|what|which|how many|how much|do i have|have i|did i|are there|is there|any|anything|whats|what's|where|find|search|look up|lookup|my (tasks|todos|list))\b/i;

const notDone = /\b(not (yet )?(done|complete|completed|finished)|undone|incomplete|uncompleted|unfinished|pending|open|to ?do|in progress)\b/i;

function understandAdd(text: string, now: Date): Intent {
  let rest = text;
  for (let previous = ''; previous !== rest; ) {
    previous = rest;
    rest = rest
      .replace(rememberLead, '')
      .replace(addLead, '')
      .replace(
        /^\s*(also\s+)?((a|an|the|another|new|task|todo|to-do|item|reminder|note|urgent|important|high|low|normal|priority|high-priority|low-priority)([\s:]+|$))*/i,
        '',
      )
      .replace(/^\s*(to|for|that|about|called|named|titled|saying|:)\s+/i, '')
      .replace(/^\s*(remember|remind me)\s+(to\s+)?/i, '')
      .trim();
  }
  const explicit = quoted(text);
  const priority = findPriority(explicit ? text.replace(explicit, '') : text);
  const { date, rest: withoutDate } = extractDate(explicit ? rest.replace(/["“'‘][^"”'’]*["”'’]/, ' ') : rest, now);
  const title = cleanTitle(explicit ?? stripPriority(withoutDate));
  return { kind: 'add', title: title || cleanTitle(text), priority, due_date: date };
}

function understandList(text: string): Intent {
  const lower = text.toLowerCase();
  const completed =
    /\b(completed|complete|done|finished|did i (do|finish|complete)|have i (done|finished|completed)|accomplished|ticked off|checked off)\b/.test(lower);
  const pending = notDone.test(lower) || /\b(left|remaining|still|outstanding|need to do|have to do|due|upcoming|next)\b/.test(lower);
  const status = pending ? 'pending' : completed ? 'completed' : 'all';
  const searchMatch =
    /\b(?:about|with|containing|mentioning|matching|named|called|for|regarding|related to)\s+(?:the\s+)?["“']?([^"”']+?)["”']?(?:\s+tasks?)?$/i.exec(text);
  const search = searchMatch && !/^(me|my|all|everything|today|tomorrow|now)\b/i.test(searchMatch[1]!) ? findReference(searchMatch[1]!) : undefined;
  const priority = /\b(urgent|high|low|important)\b/.test(lower) ? findPriority(lower) : undefined;
  return { kind: 'list', status, priority, search: search && 'words' in search ? search.phrase : undefined, count: /\bhow many\b/.test(lower) };
}

/** The object of a verb: the words after it, up to "as …", "to …", "from my list" and the like. */
function objectAfter(lead: RegExp, text: string): string {
  return text
    .replace(lead, '')
    .replace(/^\s*(with|off|about|of)\s+/i, '')
    .replace(/\s+(from|off|on) (my|the) (todo |to-do |task )?(list|tasks)\b.*$/i, '')
    .replace(/\s+(as|to|is|are|was)\s+(done|complete|completed|finished)\b.*$/i, '')
    .trim();
}

function understandUpdate(text: string, now: Date): Intent | undefined {
  const body = text
    .replace(updateLead, '')
    .replace(reopenLead, '')
    .replace(/^\s*(mark|set)\s+/i, '')
    .trim();
  // Split "task 2 to 'Call mom'" / "the dentist task until friday" into the task and the change.
  const split = /^(.*?)\s+(?:to|into|as|until|till|for|->|=)\s+(.+)$/i.exec(body);
  const changes: TaskChanges = {};
  const target = split?.[1] ?? body;
  const value = split?.[2] ?? '';
  const explicitTitle = quoted(text);
  const reopening = reopenLead.test(text) || notDone.test(value);
  if (reopening) changes.completed = false;
  const bare = /^(high|low|medium|normal)$/i.exec(value.trim())?.[1]?.toLowerCase();
  const priority =
    findPriority(value) ??
    (bare ? (bare === 'normal' ? 'medium' : (bare as TaskPriority)) : undefined) ??
    (/\b(urgent|important|high priority|low priority|priority)\b/i.test(target) ? findPriority(target) : undefined);
  const wantsDate = /^(reschedule|move|push|postpone|delay|bump)\b/i.test(text) || /\b(due|deadline|date)\b/i.test(target);
  if (explicitTitle && !/\b(due|priority)\b/i.test(target)) {
    changes.title = explicitTitle;
  } else if (priority && !reopening) {
    changes.priority = priority;
  } else if (!reopening && value) {
    const { date } = extractDate(value, now);
    if (
      date &&
      (wantsDate ||
        /^(next|this|tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|in \d|\d{4}-|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i.test(
          value,
        ))
    ) {
      changes.due_date = date;
    } else if (/^(no date|no due date|none|nothing)$/i.test(value)) {
      changes.due_date = null;
    } else {
      changes.title = cleanTitle(value);
    }
  } else if (!reopening && wantsDate) {
    const { date } = extractDate(body, now);
    if (date) changes.due_date = date;
  }
  // "make task 3 urgent": the priority sits in the target itself.
  const refText = target
    .replace(/\b(the )?(title|name|due date|deadline|date|priority|description) of\b/gi, '')
    .replace(/'s\s+(title|name|due date|deadline|date|priority|description)\b/gi, '')
    .replace(/\b(title|name|due date|deadline|date|priority|description)$/i, '');
  const ref = findReference(priority ? stripPriority(refText) : refText);
  if (!ref) return undefined;
  return { kind: 'update', ref, changes };
}

/** Reads one request. `now` anchors relative dates such as "tomorrow". */
export function understand(message: string, now: Date): Intent {
  const text = normalize(message);
  const topic = smallTalk.find(([pattern]) => pattern.test(text))?.[1];
  if (topic || !text) return { kind: 'chat', topic: topic ?? 'help' };

  if (rememberLead.test(text) && !/^i (need|have|want) to (see|know|check|review|look)\b/i.test(text)) return understandAdd(text, now);
  if (deleteLead.test(text)) {
    const ref = findReference(objectAfter(deleteLead, text));
    return ref ? { kind: 'delete', ref } : { kind: 'chat', topic: 'help' };
  }
  if (reopenLead.test(text)) {
    const ref = findReference(objectAfter(reopenLead, text));
    return ref ? { kind: 'update', ref, changes: { completed: false } } : { kind: 'chat', topic: 'help' };
  }
  if (completeLead.test(text)) {
    // "mark task 3 as urgent" / "mark it as not done" change the task rather than complete it.
    const afterAs = /\bas\s+(.+)$/i.exec(text)?.[1] ?? '';
    if (/^mark\b/i.test(text) && afterAs && (notDone.test(afterAs) || findPriority(afterAs)))
      return understandUpdate(text, now) ?? { kind: 'chat', topic: 'help' };
    const ref = findReference(objectAfter(completeLead, text));
    return ref ? { kind: 'complete', ref } : { kind: 'chat', topic: 'help' };
  }
  if (addLead.test(text)) return understandAdd(text, now);
  if (updateLead.test(text)) return understandUpdate(text, now) ?? { kind: 'chat', topic: 'help' };
  if (listLead.test(text) || text.endsWith('?') || /^(tasks|todos|to-?dos|my list|list)$/i.test(text)) return understandList(text);

  // No leading verb: "task 3 is done", "the groceries one can go".
  const statement = /^(.*?)\s+(is|are|was|has been)\s+(done|complete|completed|finished)$/i.exec(text);
  if (statement) {
    const ref = findReference(statement[1]!);
    if (ref) return { kind: 'complete', ref };
  }
  return { kind: 'chat', topic: 'unknown', suggestion: cleanTitle(text) };
}
