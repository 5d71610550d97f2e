// What the conversation so far means for the next request (a Dialogue), derived from the stored history alone
// (any instance, after any restart, reads the same): the turns with their tool calls and results,
// which tasks were last named ("it", "them"), what the last listing showed and in which order ("the
// third one"), the assistant's own open question ("which one?"), and the latest turn that changed
// anything ("undo that", "no, the other one").
import type { ChatMessage } from '../../provider.ts';
import type { Dialogue, ListedTask, PastTurn, Target } from './grammar.ts';
import { whichOneQuestion } from './replies.ts';

/** Tools that read and change nothing. */
const reading = new Set(['list_tasks', 'list_comments']);

/** The request of every turn, its tool calls with their results, and its final text. */
export function turnsOf(messages: ChatMessage[]): PastTurn[] {
  const turns: PastTurn[] = [];
  const pending = new Map<string, { name: string; args: Record<string, unknown> }>();
  for (const message of messages) {
    if (message.role === 'user') turns.push({ request: message.content, outcomes: [], reply: '' });
    const turn = turns.at(-1);
    if (!turn) continue;
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) pending.set(call.id, { name: call.name, args: parseObject(call.arguments) });
      if (message.content) turn.reply = message.content;
    } else if (message.role === 'tool') {
      const call = pending.get(message.tool_call_id);
      if (call) turn.outcomes.push({ ...call, output: parseObject(message.content) });
    }
  }
  return turns;
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text || '{}') as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A listed task as a call names it: the personal list goes without a name. */
export const targetOf = (task: ListedTask): Target => ({ number: task.number, ...(task.list_id && task.list !== 'My tasks' ? { list: task.list_id } : {}) });

/** The tasks a reply showed as "- #N Title" lines, in its order, found in the turn's listings. */
function shownIn(turn: PastTurn): ListedTask[] | undefined {
  const listed = turn.outcomes
    .filter((outcome) => outcome.name === 'list_tasks')
    .flatMap((outcome) => (outcome.output.tasks as ListedTask[] | undefined) ?? []);
  if (listed.length === 0) return undefined;
  const shown: ListedTask[] = [];
  for (const [, number, rest] of turn.reply.matchAll(/^- #(\d+) (.*)$/gm)) {
    const task = listed.find((candidate) => candidate.number === Number(number) && rest!.startsWith(candidate.title) && !shown.includes(candidate));
    if (task) shown.push(task);
  }
  return shown.length ? shown : undefined;
}

/** The tasks a turn's changes named, in order (each once). */
function actedOn(turn: PastTurn): Target[] {
  const targets: Target[] = [];
  for (const { name, args, output } of turn.outcomes) {
    if (reading.has(name) || output.error || typeof output.task_number !== 'number') continue;
    const list = typeof args.list === 'string' ? args.list : undefined;
    const target = { number: output.task_number, ...(list ? { list } : {}) };
    if (!targets.some((known) => known.number === target.number && known.list === target.list)) targets.push(target);
  }
  return targets;
}

const changesOf = (turn: PastTurn) => turn.outcomes.filter(({ name, output }) => !reading.has(name) && name !== 'undo' && !output.error).length;

/** The dialogue state after `turns`, before the request that follows them. */
export function dialogueOf(turns: PastTurn[]): Dialogue {
  const dialogue: Dialogue = { turns, focus: [] };
  let focusFound = false;
  let undoneSince = false;
  for (let index = turns.length - 1; index >= 0; index--) {
    const turn = turns[index]!;
    const shown = shownIn(turn);
    const acted = actedOn(turn);
    if (!focusFound && (acted.length || shown)) {
      dialogue.focus = acted.length ? acted : shown!.map(targetOf);
      focusFound = true;
    }
    if (!dialogue.order && (shown || acted.length > 1)) dialogue.order = acted.length > 1 ? acted : shown!.map(targetOf);
    if (index === turns.length - 1 && shown && !acted.length && turn.reply.endsWith(whichOneQuestion)) dialogue.question = { turn: index, candidates: shown };
    // What an undo already took back is not "that" any more.
    if (turn.outcomes.some((outcome) => outcome.name === 'undo')) undoneSince = true;
    const count = changesOf(turn);
    if (!dialogue.lastChange && !undoneSince && count > 0) dialogue.lastChange = { turn: index, count };
  }
  return dialogue;
}
