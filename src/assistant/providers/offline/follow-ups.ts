// A request read in its conversation: an answer to the assistant's own question ("the first", "4",
// "the gym one"), a retraction ("scratch that", "never mind"), a correction ("no, the other one",
// "I meant the milk", "actually friday") and a continuation ("and butter too", "also the rent").
// What is none of these is read alone (intents/), its "it", "them" and "the third one" resolved
// against the dialogue when the turn is planned.
import { dialogueOf, targetOf } from './dialogue.ts';
import type { Dialogue, Intent, ListedTask, Target, TaskReference } from './grammar.ts';
import { understand } from './intents/index.ts';
import { matchTasks } from './matching.ts';
import { readNewTasks, startsWithVerb } from './new-tasks.ts';
import { findPriority } from './priorities.ts';
import { findReference, findReferences, objectOf } from './references.ts';
import { normalize } from './text.ts';
import { type Clock, extractDate } from './when.ts';

/** Lower-case, one space, no final punctuation, typographic apostrophes straightened. */
const plain = (text: string) =>
  text
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?…]+$/, '')
    .replace(/,?\s+(?:please|pls|plz|thanks|thank you|thx)$/, '')
    .trim()
    .toLowerCase();

const retraction =
  /^(?:(?:oh|oops|no+|wait|sorry|hmm+|actually|ugh|ok)\b,? )*(?:scratch|cancel|forget|ignore|drop|undo|revert|reverse|nevermind|never mind|take (?:that |it )?back|put (?:that |it )?back|don'?t do)(?: (?:that|it|this|that one|what you (?:just )?did|the last one|my last message))?(?: back)?(?:,? please)?$/;
/** A retraction of what the last turn did that names the undo: it takes back the latest changes wherever they were made. */
const explicitUndo = /\b(undo|revert|reverse|take back|take that back|put it back)\b/;
const correctionMarker = /^(?:(?:no+|nope|nah|wait|oops|sorry|actually|hmm+|er+m?|um+|ugh|my bad|whoops|wrong (?:one|task))\b[,!.:;-]*\s*)+/;
const otherOne = /^(?:(?:i meant |not that one,? )?the other(?: one| task)?|(?:the )?wrong (?:one|task)|not that one|other one)$/;
const meant = /^(?:i meant|i mean|i said|meant|not that,?|i wanted)\s+(.+)$/;
const continuationLead =
  /^(?:(?:oh,? |ah,? )?and(?: also)?|also|plus|oh also|same (?:for|with|goes for)|do the same (?:for|with)|ditto for|what about|how about)\b[,:]?\s+/;
/** "rent a car", "walk the dog": a word then an object, most likely a verb of its own. */
const verbAndObject = /^(?!(?:a|an|the|my|our|some|more|another)\b)[a-z]+\s+(?:a|an|the|my|our|some|his|her|their|to)\b/;
const continuationTail = /,?\s+(?:too|as well|also)$/;

/** The request's intent: in its conversation when it continues it, else read alone. */
export function understandInContext(message: string, dialogue: Dialogue, clock: Clock): Intent {
  const text = plain(message);
  return (
    (dialogue.question && answerOf(text, dialogue, clock)) ??
    retractionOf(text, dialogue) ??
    correctionOf(text, dialogue, clock) ??
    continuationOf(text, dialogue, clock) ??
    retold(understand(message, clock), text, dialogue)
  );
}

/** What an earlier turn's request meant, read in the conversation it was made in. */
function intentOfTurn(dialogue: Dialogue, index: number, clock: Clock): Intent {
  return understandInContext(dialogue.turns[index]!.request, dialogueOf(dialogue.turns.slice(0, index)), clock);
}

/** The intent with every task reference `replace` maps replaced. */
function withRefs(intent: Intent, replace: (ref: TaskReference) => TaskReference[]): Intent {
  switch (intent.kind) {
    case 'complete':
    case 'delete':
    case 'archive':
      return { ...intent, refs: intent.refs.flatMap(replace) };
    case 'update':
    case 'comment':
    case 'comments':
    case 'reminder': {
      const [ref = intent.ref, ...others] = replace(intent.ref);
      return others.length && intent.kind === 'update' ? { ...intent, ref: { them: true } } : { ...intent, ref };
    }
    case 'move':
      return { ...intent, ref: replace(intent.ref)[0] ?? intent.ref, anchor: replace(intent.anchor)[0] ?? intent.anchor };
    default:
      return intent;
  }
}

/** "the first", "4", "the gym one", "both": which of the tasks it asked about the user means; the question's request, carried out on them. */
function answerOf(text: string, dialogue: Dialogue, clock: Clock): Intent | undefined {
  const { candidates, turn } = dialogue.question!;
  const said = normalize(text).replace(/^(?:i meant|i mean|the one (?:about|with|for|called)|number)\s+/i, '');
  const ref = findReference(said);
  if (!ref || ('phrase' in ref && understand(text, clock).kind !== 'chat')) return undefined;
  let chosen: ListedTask[];
  if ('position' in ref) chosen = [candidates.at(ref.position > 0 ? ref.position - 1 : ref.position)].filter((task) => task !== undefined);
  else if ('number' in ref) chosen = candidates.filter((task) => task.number === ref.number);
  else if ('them' in ref) chosen = candidates;
  else if ('phrase' in ref) chosen = matchTasks(ref.phrase, candidates);
  else return undefined;
  const targets = chosen.length === 1 || ('them' in ref && chosen.length) ? chosen.map(targetOf) : 'number' in ref ? [{ number: ref.number }] : undefined;
  if (!targets) return undefined;
  const asked = intentOfTurn(dialogue, turn, clock);
  // The references the question was about: those that fit several of its candidates.
  return withRefs(asked, (original) => ('phrase' in original && matchTasks(original.phrase, candidates).length > 1 ? targets : [original]));
}

/** "scratch that", "never mind", "undo that": the last turn's changes taken back, all of them. */
function retractionOf(text: string, dialogue: Dialogue): Intent | undefined {
  if (!retraction.test(text)) return undefined;
  const { lastChange, turns } = dialogue;
  const lastTurnChanged = lastChange && lastChange.turn === turns.length - 1;
  if (lastChange && (lastTurnChanged || explicitUndo.test(text))) return { kind: 'undo', count: Math.min(lastChange.count, 10) };
  return explicitUndo.test(text) ? undefined : { kind: 'chat', topic: 'farewell' };
}

/** "no, the other one", "I meant the milk", "actually friday", "no, make it high": the last change put right. */
function correctionOf(text: string, dialogue: Dialogue, clock: Clock): Intent | undefined {
  const marked = correctionMarker.exec(text);
  const rest = text.slice(marked?.[0].length ?? 0).trim();
  const other = otherOne.test(rest) || (!rest && /\bwrong (one|task)\b/.test(marked?.[0] ?? ''));
  const meaning = meant.exec(rest)?.[1];
  if ((!marked && !other && !meaning) || (!rest && !other)) return undefined;
  const alone = understand(rest, clock);
  if (alone.kind !== 'chat' && !meaning) return alone;
  const { lastChange } = dialogue;
  const focus: TaskReference = { it: true };
  // "actually friday", "no, high priority": the task just named gets it instead.
  const { date, rest: beside } = extractDate(meaning ?? rest, clock);
  if (date && !/\w/.test(beside.replace(/\b(instead|then|please|for|on|it|make|due|by)\b/g, '')))
    return { kind: 'update', ref: focus, changes: { due_date: date } };
  const priority = findPriority(meaning ?? rest);
  if (priority && !/\w/.test((meaning ?? rest).replace(/\b(instead|then|please|priority|make it|it'?s|it is)\b|\w+(?=\s+priority)|^\w+$/g, '')))
    return { kind: 'update', ref: focus, changes: { priority } };
  if (!lastChange) return undefined;
  const previous = intentOfTurn(dialogue, lastChange.turn, clock);
  if (other) {
    const target = otherTarget(dialogue, previous);
    return target ? { kind: 'correct', undo: lastChange.count, redo: withRefs(previous, () => [target]) } : { kind: 'chat', topic: 'unknown' };
  }
  const said = meaning ?? rest;
  // "add call the bank" → "no, I meant call the bakery": the task just added is renamed.
  if (previous.kind === 'add' && previous.tasks.length === 1 && dialogue.focus.length === 1) {
    const renamed = readNewTasks(said, clock);
    const title = renamed.kind === 'add' ? renamed.tasks[0]?.title : undefined;
    return title ? { kind: 'update', ref: focus, changes: { title } } : undefined;
  }
  const refs = findReferences(objectOf(said));
  if (!refs.length || previous.kind === 'add') return undefined;
  return { kind: 'correct', undo: lastChange.count, redo: withRefs(previous, () => refs) };
}

/** The task the last change should have been about: the one other candidate of the question it answered, or of its lookup. */
function otherTarget(dialogue: Dialogue, previous: Intent): Target | undefined {
  const { lastChange, turns, focus } = dialogue;
  const index = lastChange!.turn;
  const chose = (task: ListedTask) => focus.some((target) => target.number === task.number && (target.list ?? '') === (targetOf(task).list ?? ''));
  const asked = dialogueOf(turns.slice(0, index)).question?.candidates;
  const listed = turns[index]!.outcomes.find((outcome) => outcome.name === 'list_tasks')?.output.tasks as ListedTask[] | undefined;
  const phrases: string[] = [];
  withRefs(previous, (ref) => {
    if ('phrase' in ref) phrases.push(ref.phrase);
    return [ref];
  });
  const others = asked
    ? asked.filter((task) => !chose(task))
    : phrases.flatMap((phrase) =>
        matchTasks(
          phrase,
          (listed ?? []).filter((task) => !chose(task)),
        ),
      );
  return others.length === 1 ? targetOf(others[0]!) : undefined;
}

/** "and butter too", "also the rent", "same for task 5": the last turn's request again, for what it names. */
function continuationOf(text: string, dialogue: Dialogue, clock: Clock): Intent | undefined {
  const lead = continuationLead.exec(text);
  const tail = continuationTail.exec(text);
  if ((!lead && !tail) || dialogue.turns.length === 0) return undefined;
  const body = text.slice(lead?.[0].length ?? 0, tail ? tail.index : undefined).trim();
  if (!body) return undefined;
  const alone = understand(body, clock);
  if (alone.kind !== 'chat') return alone;
  const previous = intentOfTurn(dialogue, dialogue.turns.length - 1, clock);
  switch (previous.kind) {
    case 'add': {
      // "add pay the gas bill" → "and the water bill too": the verb goes on to the next thing.
      const [first, ...others] = previous.tasks;
      const carries = first && !others.length && startsWithVerb(first.title) && !startsWithVerb(body) && !verbAndObject.test(body);
      const verb = carries ? first.title.split(' ')[0]!.toLowerCase() : '';
      const more = readNewTasks(verb ? `${verb} ${body}` : body, clock);
      const list = first?.list;
      return more.kind === 'add' && list ? { kind: 'add', tasks: more.tasks.map((task) => ({ list, ...task })) } : more;
    }
    case 'complete':
    case 'delete':
    case 'archive': {
      const refs = findReferences(objectOf(body));
      return refs.length ? { kind: previous.kind, refs } : undefined;
    }
    case 'update': {
      const ref = findReference(objectOf(body));
      return ref ? { ...previous, ref } : undefined;
    }
    case 'list':
      return understand(`show ${body}`, clock);
    default:
      return undefined;
  }
}

/** A request read alone, told in its conversation: "undo that" takes back everything the last change did. */
function retold(intent: Intent, text: string, dialogue: Dialogue): Intent {
  if (intent.kind === 'undo' && intent.count === 1 && !/\blast (one|change|thing)\b/.test(text) && dialogue.lastChange)
    return { kind: 'undo', count: Math.min(dialogue.lastChange.count, 10) };
  return intent;
}
