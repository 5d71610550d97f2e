// The offline assistant's reading of one English request: which action, on which tasks, with what.
// The main verb decides (in any inflection, after any politeness); a statement about a task ("the
// rent is paid", "I no longer need the milk") is read like the request it stands for.
import type { TaskPriority } from '../../../db/entities/index.ts';
import { findPriority, priorityShift, stripPriority } from './priorities.ts';
import { findNumber, findReference, findReferences, listSeparator, objectOf, type TaskReference, withRef } from './references.ts';
import { cleanTitle, normalize, quotedAll } from './text.ts';
import { type Clock, extractDate } from './when.ts';
import { type Action, lemma, taskVerbs, verbAction } from './words.ts';

export type { TaskReference } from './references.ts';

export interface NewTask {
  title: string;
  priority?: TaskPriority;
  due_date?: string;
}

export interface TaskChanges {
  title?: string;
  priority?: TaskPriority;
  /** One step up (+1) or down (−1) from the task's current priority. */
  priorityStep?: 1 | -1;
  due_date?: string | null;
  completed?: boolean;
}

export type Intent =
  | { kind: 'add'; tasks: NewTask[] }
  | { kind: 'list'; status: 'all' | 'pending' | 'completed'; priority?: TaskPriority; search?: string; count: boolean }
  | { kind: 'complete' | 'delete'; refs: TaskReference[] }
  | { kind: 'update'; ref: TaskReference; changes: TaskChanges }
  | { kind: 'chat'; topic: 'greeting' | 'thanks' | 'help' | 'identity' | 'wellbeing' | 'farewell' | 'unknown'; suggestion?: string };

const smallTalk: [RegExp, Extract<Intent, { kind: 'chat' }>['topic']][] = [
  [/^(hi|hello|hey|hiya|yo|good (morning|afternoon|evening|day)|greetings|howdy)( there)?( taskstream)?$/i, 'greeting'],
  [
    /^((thanks|thank you|thx|ty|cheers|great|awesome|perfect|nice|cool|ok(ay)?|got it|lol|haha|sweet|good|fine|alright)[ ,!]*)+( (so|very) much)?( mate)?$/i,
    'thanks',
  ],
  [/^(bye|goodbye|good night|see you|see ya|later|that'?s all|that is all( for now)?|nothing else|never ?mind|no|nope|all good)$/i, 'farewell'],
  [/^(help|what can you do|how does this work|how do (i|you) use (this|you)|commands)$/i, 'help'],
  [/^((who|what) are you|what'?s your name|what is your name)$/i, 'identity'],
  [/^(how are you( doing)?( today)?|how's it going|what's up|sup)$/i, 'wellbeing'],
];

/** Words that may stand before the verb: "I've finished", "just watered", "you can mark". */
const subject = /^((i|we)('ve| have| had|'m| am| just| already| finally| totally)*|you can|finally|just|already|all|i think|pretty sure i)\s+/i;

interface Lead {
  action: Action;
  /** The verb as written, in past tense or not. */
  past: boolean;
  /** The words after the verb. */
  rest: string;
  verb: string;
  hadSubject: boolean;
}

/** The request's main verb, if one leads it. */
function leadVerb(text: string): Lead | undefined {
  const hadSubject = subject.test(text);
  // "take the milk off my list", "tick 8 and 11 off": the particle belongs to the verb.
  const body = text
    .replace(subject, '')
    .replace(/^(\S+)\s+(.+?)\s+off(\s+(my|the)\s+(todo\s+|to-do\s+)?list)?$/i, (whole, verb: string, object: string) =>
      verbAction.has(`${lemma(verb, (stem) => verbAction.has(`${stem} off`))} off`) ? `${verb} off ${object}` : whole,
    );
  const words = body.split(' ');
  for (const size of [2, 1]) {
    if (words.length < size) continue;
    const written = words.slice(0, size).join(' ');
    const base = words
      .slice(0, size)
      .map((word, index) => (index === 0 ? lemma(word.replace(/[:,]$/, '')) : word.toLowerCase()))
      .join(' ')
      .replace(/[:,]$/, '');
    const action =
      verbAction.get(base) ??
      (size === 2
        ? verbAction.get(`${lemma(words[0]!, (stem) => verbAction.has(`${stem} ${words[1]!.toLowerCase()}`))} ${words[1]!.toLowerCase()}`)
        : undefined);
    if (action) return { action, past: written.toLowerCase().split(' ')[0] !== base.split(' ')[0], rest: words.slice(size).join(' '), verb: base, hadSubject };
  }
  return undefined;
}

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

function understandAdd(body: string, clock: Clock): Intent {
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
    const { date, rest: withoutDate } = extractDate(outside, clock);
    const title = cleanTitle(quoted ?? stripPriority(withoutDate));
    return { title: title || cleanTitle(part), ...(priority ? { priority } : {}), ...(date ? { due_date: date } : {}) };
  });
  return { kind: 'add', tasks };
}

const notDone = /\b(not (yet )?(done|complete|completed|finished)|undone|incomplete|uncompleted|unfinished|pending|open|to ?do|in progress)\b/i;

function understandList(text: string): Intent {
  const lower = text.toLowerCase();
  const completed = /\b(completed|complete|done|finished|did i|have i (done|finished|completed)|accomplished|ticked off|checked off)\b/.test(lower);
  const pending =
    notDone.test(lower) ||
    /\b(left|remaining|remains?|still|outstanding|need to do|have to do|supposed to|should i|work on|on my plate|due|upcoming|next|what i need)\b/.test(lower);
  const status = pending ? 'pending' : completed ? 'completed' : 'all';
  const searchMatch =
    /\b(?:about|with|containing|mentioning|matching|named|called|for|regarding|related to)\s+(?:the\s+)?["“']?([^"”']+?)["”']?(?:\s+tasks?)?$/i.exec(text);
  const phrase = searchMatch?.[1];
  const search = phrase && !/^(me|my|all|everything|today|tomorrow|now|this week|next)\b/i.test(phrase) ? findReference(phrase) : undefined;
  const priority = /\b(urgent|high|low|important)\b/.test(lower) ? findPriority(lower) : undefined;
  return { kind: 'list', status, priority, search: search && 'phrase' in search ? search.phrase : undefined, count: /\bhow many\b/.test(lower) };
}

const datePhrase =
  /^(next|this|tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|in \d|\d{4}-|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;

function understandUpdate(body: string, verb: string, clock: Clock): Intent | undefined {
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
  const wantsDate = dueValue || /^(reschedule|move|push|postpone|delay|bump|shift|bring forward|extend)$/.test(verb) || /\b(due|deadline|date)\b/i.test(target);
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
  const refText = (changes.due_date !== undefined && !split ? extractDate(target, clock).rest : target)
    .replace(/\b(the )?(title|name|due date|deadline|date|priority|description)\s+(of|for|on)\b/gi, '')
    .replace(/['’]s\s+(title|name|due date|deadline|date|priority|description)\b/gi, '')
    .replace(/\b(title|name|due date|deadline|date|priority|description|due)$/i, '')
    .replace(/\b(up|down|a bit|a little|more|less) ?(important|urgent)?$/i, '')
    .replace(/\b(up|down)\b/gi, '');
  const ref = findReference(priority ? stripPriority(refText) : refText);
  return ref ? { kind: 'update', ref, changes } : undefined;
}

/** "the rent is paid", "plants watered", "task 6 - done", "milk: done". */
const doneStatement =
  /^(.+?)\s*(?:\b(?:is|are|was|were|has been|have been|got|'s)\s+(?:now\s+|all\s+|finally\s+|already\s+)?)?(?:[:-]\s*)?\b(done|complete|completed|finished|sorted|handled|taken care of|dealt with|out of the way|clean|ready|over|[a-z]+ed|paid|bought|sent|made|got)(\s+now|\s+already)?$/i;
const noLongerNeeded =
  /\b(no longer (need|want|have to|required|needed|necessary|relevant)|(don'?t|do not|doesn'?t) (need|want|have to)|(isn'?t|is not|aren'?t|are not|not) (needed|necessary|required|happening)|no need for|not needed|can go|(is|are) (cancelled|canceled|off)|any ?more)\b/i;

/** Reads one request. `clock` anchors relative dates such as "tomorrow" in the user's zone. */
export function understand(message: string, clock: Clock): Intent {
  const normalized = normalize(message);
  // "I'd like to see my tasks", "I want to add …": the wish frames a request.
  const framed = /^(i'?d like|i would like|i want|i wanna|let me|i'd love) to\s+/i.exec(normalized);
  const text = framed && leadVerb(normalized.slice(framed[0].length)) ? normalized.slice(framed[0].length) : normalized;
  const topic = smallTalk.find(([pattern]) => pattern.test(text))?.[1];
  if (topic || !text) return { kind: 'chat', topic: topic ?? 'help' };

  if (
    /^remind me (what|which|how|of my)\b/i.test(text) ||
    /^(what|which|how many|how much|do i have|have i|did i|are there|is there|any|anything|whats|what's|where|my (tasks|todos|list))\b/i.test(text) ||
    /^(tasks|todos|to-?dos|my list|list|open tasks)$/i.test(text)
  )
    return understandList(text);
  if (
    /^(remember|remind me|don'?t (let me )?forget|(i |we )?(really )?(need|have|got|ought|want) to|(i |we )?(should|must|gotta)|i'?ve got to|i'?ll need to|todo|to-do|to do:|please note)\b/i.test(
      text,
    ) &&
    !/^(i |we )?(need|have|want) to (see|know|check|review|look)\b/i.test(text) &&
    !noLongerNeeded.test(text)
  ) {
    const body = text.replace(
      /^(remember|remind me( about)?|don'?t (let me )?forget( about)?|(i |we )?(really )?(need|have|got|ought|want) to( add)?|(i |we )?(should|must|gotta)|i'?ve got to|i'?ll need to|todo|to-do|to do:|please note)\s*(to\s+)?[:,]?\s*/i,
      '',
    );
    return understandAdd(body, clock);
  }
  if (/\b(remove|clear|delete|drop|take off)\s+(the\s+)?(due date|deadline|date)\s+(from|of|on)\s+/i.test(text)) {
    const ref = findReference(text.replace(/^.*\b(from|of|on)\s+/i, ''));
    if (ref) return { kind: 'update', ref, changes: { due_date: null } };
  }
  if (noLongerNeeded.test(text)) {
    const object = text
      .replace(subject, '')
      .replace(noLongerNeeded, ' ')
      .replace(/\b(the|we|i|to|there'?s|anymore|any more|longer|no)\b/gi, ' ')
      .replace(/\s+/g, ' ');
    const refs = findReferences(objectOf(object));
    if (refs.length) return { kind: 'delete', refs };
  }
  const lead = leadVerb(text);
  if (lead) {
    const intent = fromLead(lead, text, clock);
    if (intent) return intent;
  }
  return fromStatement(text, clock) ?? { kind: 'chat', topic: 'unknown', suggestion: cleanTitle(text) };
}

function fromLead(lead: Lead, text: string, clock: Clock): Intent | undefined {
  const { rest, verb } = lead;
  switch (lead.action) {
    case 'add':
      // "put task 1 at low priority" changes a task; "make a note" adds one.
      if (findNumber(rest.split(/\s+(?:at|to|as)\s+/)[0] ?? '') !== undefined && /^(put|set|stick)$/.test(verb)) return understandUpdate(rest, verb, clock);
      return understandAdd(rest, clock);
    case 'list':
      return understandList(text);
    case 'reopen':
      return withRef(findReference(objectOf(rest.replace(/\s+(to|as)\s+(pending|open|not done)$/i, ''))), (ref) => ({
        kind: 'update',
        ref,
        changes: { completed: false },
      }));
    case 'delete': {
      const refs = findReferences(objectOf(rest));
      return refs.length ? { kind: 'delete', refs } : undefined;
    }
    case 'complete': {
      // "mark 3 as urgent" / "mark it as not done" change the task; "sort the garage" (not past) adds one.
      const afterAs = /\bas\s+(.+)$/i.exec(rest)?.[1] ?? '';
      if (verb === 'mark' && afterAs && (notDone.test(afterAs) || findPriority(afterAs))) return understandUpdate(rest, verb, clock);
      if (/^(sort|sort out|handle|nail|tackle|knock out|wrap up|take care)$/.test(verb) && !lead.past && !lead.hadSubject) return undefined;
      const refs = findReferences(objectOf(rest));
      return refs.length ? { kind: 'complete', refs } : undefined;
    }
    default: {
      if (verb === 'make' && /^(a|an)\s+(new\s+)?(task|todo|to-do|note|reminder)\b/i.test(rest)) return understandAdd(rest, clock);
      if (verb === 'set' && /^(a|an)\s+(reminder|task)\b/i.test(rest)) return understandAdd(rest, clock);
      return understandUpdate(rest, verb, clock);
    }
  }
}

/** No leading verb: "task 3 is done", "I called the dentist", "the rent is urgent", "task 4 is due tomorrow". */
function fromStatement(text: string, clock: Clock): Intent | undefined {
  const body = text.replace(subject, '');
  const doneFirst = /^(?:that'?s|it'?s|this is|mark(?: it)?)\s+(?:done|finished|complete|completed)[,:;-]?\s+(.+)$/i.exec(body);
  if (doneFirst) {
    const refs = findReferences(doneFirst[1]!);
    if (refs.length) return { kind: 'complete', refs };
  }
  const reopen = /^(.+?)\s+(isn'?t|is not|wasn'?t|was not)\s+(done|finished|complete|completed)( yet)?$/i.exec(body);
  if (reopen) return withRef(findReference(reopen[1]!), (ref) => ({ kind: 'update', ref, changes: { completed: false } }));
  const change = /^(.+?)\s+(?:is|are|should be|needs to be|must be|has to be)\s+(?:now\s+)?(.+)$/i.exec(body);
  if (change) {
    const priority = findPriority(change[2]!);
    const due = /^due\b|^by\b/i.test(change[2]!) ? extractDate(change[2]!, clock).date : undefined;
    if (priority && !/\bdone\b/i.test(change[2]!)) return withRef(findReference(change[1]!), (ref) => ({ kind: 'update', ref, changes: { priority } }));
    if (due) return withRef(findReference(change[1]!), (ref) => ({ kind: 'update', ref, changes: { due_date: due } }));
  }
  // "I called the dentist", "Emailed Sarah", "booked the flights": a task verb in the past tense.
  const [first = '', ...others] = body.split(' ');
  const base = lemma(first);
  if (others.length && base !== first.toLowerCase() && taskVerbs.has(base) && /(ed|[^e]d|ght|id|nt|ot|ook|ade|ent)$/i.test(first))
    return withRef(findReference(`${base} ${others.join(' ')}`), (ref) => ({ kind: 'complete', refs: [ref] }));
  const statement = doneStatement.exec(body);
  if (statement) {
    const word = statement[2]!.toLowerCase();
    const verb = lemma(word);
    if (/ed$/.test(word) && !taskVerbs.has(verb) && !/^(complet|finish|sort|handl)/.test(word)) return undefined;
    const subjectText = statement[1]!.replace(/^that'?s\s+/i, '').replace(/[,:-]+$/, '');
    const mentioned = /^(done|complete|completed|finished|sorted|handled|clean|ready|over)$/.test(word) ? subjectText : `${subjectText} ${verb}`;
    return withRef(findReference(mentioned), (ref) => ({ kind: 'complete', refs: [ref] }));
  }
  return undefined;
}
