// The offline grammar: the intents, and the order their rules are tried in. A request is
// normalised; then come the frames that decide before any verb (small talk, questions, wishes…),
// then the rule of the intent whose verb leads the request, then statements about tasks ("the rent
// is paid"). The first rule that reads the request decides; none → small talk that did not land.
import { callsStep } from '../acting.ts';
import { defineIntent, type Intent, type IntentKind, type Lead, type Rule, type Step, type Turn } from '../grammar.ts';
import { cleanTitle, normalize, subject } from '../text.ts';
import type { Clock } from '../when.ts';
import { learnVerbs, lemma, verbAction } from '../words.ts';
import { add } from './add.ts';
import { archive } from './archive.ts';
import { chat } from './chat.ts';
import { comment, comments } from './comment.ts';
import { complete } from './complete.ts';
import { remove } from './delete.ts';
import { list } from './list.ts';
import { move } from './move.ts';
import { reminder } from './reminder.ts';
import { undo } from './undo.ts';
import { update } from './update.ts';

/**
 * Putting the last change right ("no, the other one", "I meant the milk"): what it did is undone, then
 * its request is carried out on the task meant. Read in the conversation (follow-ups.ts), never alone.
 */
const correct = defineIntent({
  kind: 'correct' as const,
  verbs: {},
  rules: {},
  plan(intent, turn) {
    const undone = turn.outcomes.findIndex((outcome) => outcome.name === 'undo');
    if (undone < 0) return callsStep({ name: 'undo', args: { count: intent.undo } });
    const { output } = turn.outcomes[undone]!;
    if (output.error || output.refused) return { say: `I couldn't take that back: ${String(output.error ?? output.refused)}` };
    const step = planStep(intent.redo, { ...turn, outcomes: turn.outcomes.slice(undone + 1) });
    return 'say' in step ? { say: `Okay, I took that back.\n${step.say}` } : step;
  },
});

/** Every intent: one per tool, small talk, and a correction of the last change. */
export const grammars = [chat, add, list, complete, remove, update, archive, move, undo, comment, comments, reminder, correct] as const;
learnVerbs(grammars);

// Every tool has its intent: a tool added without one fails to compile here.
type WithoutIntent = Exclude<IntentKind, (typeof grammars)[number]['kind']>;
const everyToolHasAnIntent: [WithoutIntent] extends [never] ? true : WithoutIntent = true;
void everyToolHasAnIntent;

/** The next step of a turn whose request has `intent`: its intent's own plan. */
export function planStep(intent: Intent, turn: Turn): Step {
  const grammar = grammars.find((candidate) => candidate.kind === intent.kind)!;
  return (grammar.plan as (intent: Intent, turn: Turn) => Step)(intent, turn);
}

const leadRules = new Map<IntentKind, Rule | undefined>(grammars.map((grammar) => [grammar.kind, (grammar as { lead?: Rule }).lead]));

/** The rules tried before the leading verb's, in order. */
const frames: Rule[] = [
  chat.rules.smallTalk,
  undo.rules.undo,
  comment.rules.comment,
  update.rules.note,
  comments.rules.question,
  reminder.rules.remindBefore,
  reminder.rules.snooze,
  update.rules.stopRepeating,
  update.rules.repeat,
  move.rules.order,
  list.rules.question,
  add.rules.wish,
  update.rules.clearDue,
  update.rules.untag,
  remove.rules.noLongerNeeded,
];
/** The rules tried when no verb rule read the request, in order. */
const statements: Rule[] = [
  complete.rules.doneFirst,
  update.rules.notDoneStatement,
  update.rules.changeStatement,
  complete.rules.pastTense,
  complete.rules.doneStatement,
  add.rules.repeating,
];

/** Every rule with its examples, for the corpus. */
export const allRules = (): Rule[] =>
  grammars.flatMap((grammar) => [
    ...(leadRules.get(grammar.kind) ? [leadRules.get(grammar.kind)!] : []),
    ...Object.values(grammar.rules as Record<string, Rule>),
  ]);

/** The request's main verb, if one leads it. */
function leadVerb(text: string): Lead | undefined {
  const hadSubject = subject.test(text);
  // "take the milk off my list", "tick 8 and 11 off", "put the milk away": the particle belongs to the verb.
  const body = text
    .replace(subject, '')
    .replace(/^(\S+)\s+(.+?)\s+(off|away)(\s+(my|the)\s+(todo\s+|to-do\s+)?list)?$/i, (whole, verb: string, object: string, particle: string) => {
      const base = lemma(verb, (stem) => verbAction.has(`${stem} ${particle.toLowerCase()}`));
      return verbAction.has(`${base} ${particle.toLowerCase()}`) ? `${verb} ${particle} ${object}` : whole;
    });
  const words = body.split(' ');
  for (const size of [2, 1]) {
    if (words.length < size) continue;
    const written = words.slice(0, size).join(' ');
    const base = words
      .slice(0, size)
      .map((word, index) => (index === 0 ? lemma(word.replace(/[:,]$/, '')) : word.toLowerCase()))
      .join(' ')
      .replace(/[:,]$/, '');
    const meaning =
      verbAction.get(base) ??
      (size === 2
        ? verbAction.get(`${lemma(words[0]!, (stem) => verbAction.has(`${stem} ${words[1]!.toLowerCase()}`))} ${words[1]!.toLowerCase()}`)
        : undefined);
    if (meaning) {
      return { ...meaning, past: written.toLowerCase().split(' ')[0] !== base.split(' ')[0], rest: words.slice(size).join(' '), verb: base, hadSubject };
    }
  }
  return undefined;
}

/** Reads one request. `clock` anchors relative dates such as "tomorrow" in the user's zone. */
export function understand(message: string, clock: Clock): Intent {
  const normalized = normalize(message);
  // "I'd like to see my tasks", "I want to add …": the wish frames a request.
  const framed = /^(i'?d like|i would like|i want|i wanna|let me|i'd love) to\s+/i.exec(normalized);
  const text = framed && leadVerb(normalized.slice(framed[0].length)) ? normalized.slice(framed[0].length) : normalized;
  if (!text) return { kind: 'chat', topic: 'help' };
  const lead = leadVerb(text);
  const reading = { text, said: message.trim(), lead, clock };
  const leading = lead && leadRules.get(lead.kind);
  for (const rule of [...frames, ...(leading ? [leading] : []), ...statements]) {
    const intent = rule.read(reading);
    if (intent) return intent;
  }
  return { kind: 'chat', topic: 'unknown', suggestion: cleanTitle(text) };
}
