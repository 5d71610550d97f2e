// What the offline grammar is made of: one intent per tool (intents/<kind>.ts), each with its verbs,
// its rules (a reading of the request → an intent) and each rule's examples, and how a turn with
// that intent goes on (which tool calls, then what to say). The examples are read against
// `exampleContext` and join the corpus of tests by themselves.
import type { TaskPriority } from '../../../db/entities/index.ts';
import type { DueView } from '../../../tasks/tasks.schemas.ts';
import type { ToolName } from '../../tools/index.ts';
import type { Clock } from './when.ts';

/** The intents a request can have: one per tool (`add_task` → `add`, `add_comment` → `comment`), and small talk. */
type KindOf<Name extends string> = Name extends `${infer Kind}_task${string}` ? Kind : Name extends `${string}_${infer Noun}` ? Noun : Name;
export type ToolIntentKind = KindOf<ToolName>;
export type IntentKind = ToolIntentKind | 'chat' | 'correct';

/**
 * Which task a request means: its number (in a list other than the personal one when `list` says),
 * "it" (the one named last), "them" (every one named last), a place in the last listing (1 the
 * first, -1 the last: "the third one"), or words of its title.
 */
export type TaskReference = { number: number; list?: string } | { it: true } | { them: true } | { position: number } | { phrase: string };

/** A task as `list_tasks` answers it, as the replies read it. */
export interface ListedTask {
  number: number;
  title: string;
  status: string;
  priority: string;
  due_date: string | null;
  /** Its list's name and id (absent in the examples, whose tasks are all in the personal list). */
  list?: string;
  list_id?: string;
  assignee?: string;
  labels?: string[];
}

export interface NewTask {
  title: string;
  /** A note on it ("…, note: ask about the fee"). */
  description?: string;
  priority?: TaskPriority;
  due_date?: string;
  /** A list by name ("the family list"); the personal list when absent. */
  list?: string;
  /** How it repeats (an RRULE value). */
  recurrence?: string;
  /** A reminder, in minutes before its due date ("remind me to … at 6pm": 0, at it). */
  remind?: number;
}

export interface TaskChanges {
  title?: string;
  /** Its note, in place of the one it had. */
  description?: string;
  priority?: TaskPriority;
  /** One step up (+1) or down (−1) from the task's current priority. */
  priorityStep?: 1 | -1;
  due_date?: string | null;
  completed?: boolean;
  /** A member by name or email, "me", or null to unassign. */
  assignee?: string | null;
  /** Labels (names) to put on it, and to take off it: the task's own labels decide the rest. */
  labelsAdded?: string[];
  labelsRemoved?: string[];
  /** A repeat (an RRULE value), or null to stop repeating. */
  recurrence?: string | null;
  /** A reminder, minutes before its due date. */
  remind?: number;
}

/** The intents that act on the tasks a request names and nothing more: complete, delete, and any new tool of that shape. */
export type ActingKind = Exclude<ToolIntentKind, 'add' | 'list' | 'update' | 'undo' | 'move' | 'comment' | 'comments' | 'reminder'>;

export type Intent =
  | { kind: 'add'; tasks: NewTask[] }
  | {
      kind: 'list';
      status: 'all' | 'pending' | 'completed';
      priority?: TaskPriority;
      search?: string;
      count: boolean;
      /** One list by name; every list when absent. */
      list?: string;
      /** Only what is assigned to this member (a name, or "me"). */
      assignee?: string;
      /** Only tasks with this label. */
      label?: string;
      /** A view of the day: due today, overdue, this week, upcoming, without a date. */
      due?: DueView;
    }
  | { kind: ActingKind; refs: TaskReference[] }
  | { kind: 'update'; ref: TaskReference; changes: TaskChanges }
  /** A task put right before or after another. */
  | { kind: 'move'; ref: TaskReference; anchor: TaskReference; before: boolean }
  /** A comment on a task, and a task's comments read out. */
  | { kind: 'comment'; ref: TaskReference; body: string }
  | { kind: 'comments'; ref: TaskReference }
  /** A reminder some minutes before a task's due date, or one snoozed for some minutes. */
  | { kind: 'reminder'; ref: TaskReference; minutes: number; snooze: boolean }
  /** The latest changes made in this conversation, undone. */
  | { kind: 'undo'; count: number }
  /** The last changes taken back (`undo` of them), then the request they answered carried out as meant ("no, the other one"). */
  | { kind: 'correct'; undo: number; redo: Intent }
  | { kind: 'chat'; topic: 'greeting' | 'thanks' | 'help' | 'identity' | 'wellbeing' | 'farewell' | 'unknown'; suggestion?: string };

/** The main verb leading a request, when one does. */
export interface Lead {
  /** The intent whose verbs hold it, and which of its verb groups. */
  kind: IntentKind;
  group: string;
  /** The verb's base form (one or two words). */
  verb: string;
  /** Written in the past tense ("finished"). */
  past: boolean;
  /** The words after the verb. */
  rest: string;
  /** Words such as "I've" or "just" stood before it. */
  hadSubject: boolean;
}

/** A request as the rules read it: normalised, its leading verb, and the clock relative dates are read on. */
export interface Reading {
  text: string;
  /** The request as written (trimmed): what a comment quotes word for word. */
  said: string;
  lead: Lead | undefined;
  clock: Clock;
}

/** A tool call a person means by a request (`shows`: for a listing, the numbers of the example tasks it shows). */
export interface ExpectedCall {
  name: ToolName;
  args: Record<string, unknown>;
}

export interface Example {
  text: string;
  calls: ExpectedCall[];
}

export interface Rule {
  /** Reads the request, or passes (undefined) to the next rule. */
  read(reading: Reading): Intent | undefined;
  /** Requests this rule is for, with what they mean: at least one. */
  examples: readonly [Example, ...Example[]];
}

/** A tool's call as the offline assistant decides it. */
export interface PlannedCall {
  name: ToolName;
  args: Record<string, unknown>;
}

/** What the assistant does next in a turn: call tools, or say something (and end the turn). */
export type Step = { calls: PlannedCall[] } | { say: string };

/** A tool call of this turn and what it answered. */
export interface Outcome {
  name: string;
  args: Record<string, unknown>;
  output: Record<string, unknown>;
}

/** A task as a tool call names it: its number, and its list (a name or an id) when not the personal one. */
export interface Target {
  number: number;
  list?: string;
}

/** One turn: the request, the tool calls it made with their answers, and what the assistant said. */
export interface PastTurn {
  request: string;
  outcomes: Outcome[];
  reply: string;
}

export interface Dialogue {
  /** The turns before the request, oldest first. */
  turns: PastTurn[];
  /** The tasks the latest turn that named any acted on or showed: what "it" (one of them) and "them" mean. */
  focus: Target[];
  /**
   * What "the third one" and "the last two" count in: the tasks the latest listing (or question)
   * showed, in the order shown, or the several tasks a later turn acted on ("add a, b and c" → "delete the last one").
   */
  order?: Target[];
  /** The assistant's question of the last turn: which task its request meant, among `candidates` (in the order asked). */
  question?: { turn: number; candidates: ListedTask[] };
  /** The latest turn that changed tasks (its index), and how many changes it made: what "undo that" takes back. */
  lastChange?: { turn: number; count: number };
}

/** What a turn has done so far, for an intent to decide its next step. */
export interface Turn {
  /** The tool calls of this turn and what they answered, in order. */
  outcomes: Outcome[];
  /** What the conversation before this turn's request means for it ("it", "the third one"). */
  dialogue: Dialogue;
  clock: Clock;
}

export interface IntentGrammar<Kind extends IntentKind = IntentKind, Rules extends Record<string, Rule> = Record<string, Rule>> {
  kind: Kind;
  /** Verb lemmas (one or two words) per group, comma-separated: a request they lead is read by `lead`. */
  verbs: Record<string, string>;
  /** The rule for a request this intent's verbs lead. */
  lead?: Rule;
  /** Rules tried in the order `intents/index.ts` declares (before and after the leading verb's). */
  rules: Rules;
  /** The next step of a turn whose request has this intent. */
  plan(intent: Extract<Intent, { kind: Kind }>, turn: Turn): Step;
}

/** An intent as written in its file: its rules keep their names (the declared order names them). */
export const defineIntent = <Kind extends IntentKind, Rules extends Record<string, Rule>>(grammar: IntentGrammar<Kind, Rules>) => grammar;

export type ExampleTask = ListedTask & { status: 'pending' | 'completed'; priority: TaskPriority };

/** The moment and the task list every example is read against (the corpus's, in tests). */
export const exampleContext: { clock: Clock; tasks: ExampleTask[] } = {
  // Tuesday 24 November 2026, 18:00 in Los Angeles (already Wednesday in UTC).
  clock: { now: new Date('2026-11-25T02:00:00Z'), timeZone: 'America/Los_Angeles' },
  tasks: (
    [
      [1, 'Buy milk'],
      [2, 'Call the dentist', 'high'],
      [3, 'Pay rent', 'urgent'],
      [4, 'Book flights to Rome', 'low'],
      [5, 'Renew passport'],
      [6, 'Email Sarah about the report'],
      [7, 'Pick up dry cleaning', 'medium', 'completed'],
      [8, 'Water the plants', 'low'],
      [9, 'Finish the quarterly report', 'high'],
      [10, 'Buy birthday present for mom'],
      [11, 'Clean the garage', 'low'],
      [12, 'Gym membership renewal'],
    ] as [number, string, TaskPriority?, ('pending' | 'completed')?][]
  ).map(([number, title, priority = 'medium', status = 'pending']): ExampleTask => ({ number, title, priority, status, due_date: null })),
};

/** Tool calls in an example's words. */
export const expect = {
  add: (title: string, extra: { due_date?: string; priority?: TaskPriority; list?: string; description?: string } = {}): ExpectedCall => ({
    name: 'add_task',
    args: { title, ...extra },
  }),
  list: (status: 'all' | 'pending' | 'completed' = 'all', extra: { priority?: TaskPriority; shows?: number[] } = {}): ExpectedCall => ({
    name: 'list_tasks',
    args: { status, ...extra },
  }),
  complete: (task_number: number): ExpectedCall => ({ name: 'complete_task', args: { task_number } }),
  delete: (task_number: number): ExpectedCall => ({ name: 'delete_task', args: { task_number } }),
  update: (task_number: number, changes: Record<string, unknown>): ExpectedCall => ({ name: 'update_task', args: { task_number, ...changes } }),
};

/** An example: a request and the calls it means (none for small talk). */
export const example = (text: string, ...calls: ExpectedCall[]): Example => ({ text, calls });
