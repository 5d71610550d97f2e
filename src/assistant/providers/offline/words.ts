// Words the offline assistant knows: verbs by what they ask for (in any inflection; each intent
// brings its own), number words, words that never name a task, and the small repairs that make
// typos and inflections readable.
import type { IntentGrammar, IntentKind } from './grammar.ts';

/** "did=do got=get" → { did: 'do', got: 'get' }: long word tables kept compact. */
function pairsOf(text: string): Record<string, string> {
  return Object.fromEntries(text.split(' ').map((pair) => pair.split('=') as [string, string]));
}

/** A verb's intent and verb group (the intent's own name for a group of its verbs). */
export interface VerbMeaning {
  kind: IntentKind;
  group: string;
}

/** Verb lemmas (one or two words) and what they ask for when they lead a request: the intents' own lists (learnVerbs). */
export const verbAction = new Map<string, VerbMeaning>();

/** Single-word verbs a typo is mended towards (five letters or more). */
let mendableVerbs: string[] = [];

/** Takes in the verbs of the intents (intents/index.ts does, once, for all of them). */
export function learnVerbs(grammars: readonly Pick<IntentGrammar, 'kind' | 'verbs'>[]): void {
  for (const { kind, verbs } of grammars) {
    for (const [group, lemmas] of Object.entries(verbs)) for (const verb of lemmas.split(', ')) verbAction.set(verb, { kind, group });
  }
  mendableVerbs = [...verbAction.keys()].filter((verb) => !verb.includes(' ') && verb.length >= 5);
}

/** Past forms that do not follow the rules. */
const irregular = pairsOf(
  'did=do done=done got=get gotten=get made=make put=put set=set forgot=forget forgotten=forget wrote=write written=write took=take taken=take threw=throw thrown=throw struck=strike lost=lose brought=bring bought=buy paid=pay sent=send rang=ring met=meet told=tell saw=see seen=see shown=show found=find ate=eat read=read wound=wind went=go gone=go had=have ran=run sold=sell spoke=speak fed=feed',
);

/** Verbs a task title often starts with ("call mom", "pay rent"): they start a new task in a list. */
export const taskVerbs = new Set(
  (
    'buy get call phone ring text email mail pay book order pick clean wash fix repair send write read finish start submit prepare plan ' +
    'schedule cancel renew return take bring walk feed water mow vacuum tidy sort organize organise check review update print sign file ' +
    'visit meet see go drop collect grab make cook bake practice study learn sweep empty charge install replace paint hang iron fold ' +
    'pack unpack move ask tell invite thank reply respond confirm backup back do defrost stretch exercise run'
  )
    .split(/\s+/)
    .filter(Boolean),
);

/** The base form of a word that may be a verb: "finished" → "finish", "binned" → "bin", "tidies" → "tidy". */
export function lemma(word: string, known: (candidate: string) => boolean = (candidate) => verbAction.has(candidate) || taskVerbs.has(candidate)): string {
  const lower = word.toLowerCase();
  if (irregular[lower]) return irregular[lower];
  if (known(lower)) return lower;
  const candidates: string[] = [];
  const undouble = (stem: string) => (/(.)\1$/.test(stem) && !/(ss|ll|ff|zz)$/.test(stem) ? [stem.slice(0, -1)] : []);
  if (lower.endsWith('ing')) {
    const stem = lower.slice(0, -3);
    candidates.push(stem, `${stem}e`, ...undouble(stem));
  } else if (lower.endsWith('ied')) candidates.push(`${lower.slice(0, -3)}y`);
  else if (lower.endsWith('ed')) {
    const stem = lower.slice(0, -2);
    candidates.push(stem, lower.slice(0, -1), ...undouble(stem));
  } else if (lower.endsWith('ies')) candidates.push(`${lower.slice(0, -3)}y`);
  else if (lower.endsWith('es')) candidates.push(lower.slice(0, -2), lower.slice(0, -1));
  else if (lower.endsWith('s') && !lower.endsWith('ss')) candidates.push(lower.slice(0, -1));
  return candidates.find(known) ?? lower;
}

/** Damerau–Levenshtein distance, stopping early once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The date and status words a typo is mended towards. */
const mendableWords = 'tomorrow today tonight monday tuesday wednesday thursday friday saturday sunday priority urgent'.split(' ');
const shorthand = pairsOf(
  "tmrw=tomorrow tmr=tomorrow tmrow=tomorrow 2morrow=tomorrow tmw=tomorrow tonite=tonight tdy=today u=you pls=please plz=please ur=your ad=add addd=add dont=don't cant=can't im=i'm ive=i've isnt=isn't thx=thanks lsit=list wanna=want gonna=going finishd=finished",
);

const isKnownVerb = (word: string) => {
  const base = lemma(word);
  return verbAction.has(base) || taskVerbs.has(base);
};

/**
 * A word as it was probably meant: shorthand spelled out, a near-miss of a date or status word
 * mended, and (where a verb stands, `verbSlot`) a near-miss of a known verb. Words of five letters
 * or fewer are left alone ("pick" is not "tick"), and so are words that are verbs already.
 */
export function mend(word: string, verbSlot: boolean): string {
  const lower = word.toLowerCase();
  if (shorthand[lower] && (verbSlot || !['ad', 'addd', 'lsit'].includes(lower))) return shorthand[lower];
  if (lower.length < 5 || isKnownVerb(lower) || mendableWords.includes(lower)) return word;
  const limit = lower.length >= 8 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of verbSlot ? [...mendableVerbs, ...mendableWords] : mendableWords) {
    const d = distance(lower, candidate, limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ?? word;
}

export const numberWords = Object.fromEntries(
  Object.entries(
    pairsOf(
      'one=1 two=2 three=3 four=4 five=5 six=6 seven=7 eight=8 nine=9 ten=10 eleven=11 twelve=12 thirteen=13 fourteen=14 fifteen=15 sixteen=16 seventeen=17 eighteen=18 nineteen=19 twenty=20 first=1 second=2 third=3 fourth=4 fifth=5 sixth=6 seventh=7 eighth=8 ninth=9 tenth=10',
    ),
  ).map(([word, value]) => [word, Number(value)]),
);

export const stopWords = new Set(
  (
    'a an the my our your this that these those task tasks todo todos to-do item items one ones reminder reminders list please for from on ' +
    'of in with about thing things called named titled entry stuff bit and off me'
  ).split(' '),
);
