// Runs the offline assistant on one request, or on each turn of a conversation, against the fixture
// list (its tools answered from that list in memory: this measures understanding, not storage) and
// compares the calls it makes with the calls a person means.
import type { ChatMessage } from '../../../src/assistant/provider.ts';
import { nextStep } from '../../../src/assistant/providers/offline/offline.provider.ts';
import type { Conversation } from './conversations.ts';
import { type Case, type ExpectedCall, type FixtureTask, fixtureTasks, now, timeZone } from './corpus.ts';

type Call = { name: string; args: Record<string, unknown> };

const matchesFilter = (args: Record<string, unknown>) => {
  const words = String(args.search ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  return (task: FixtureTask) =>
    (args.status === 'pending' ? task.status !== 'completed' : args.status === 'completed' ? task.status === 'completed' : true) &&
    (!args.priority || task.priority === args.priority) &&
    words.every((word) => task.title.toLowerCase().includes(word));
};

/** The fixture tasks a listing shows. */
const listed = (args: Record<string, unknown>) => fixtureTasks.filter(matchesFilter(args));

/**
 * The tools, answered in memory from a copy of the fixture list that the calls change (this measures
 * understanding, not storage): adds number on from 13, and an undo takes back the latest changes.
 */
class Simulation {
  private readonly tasks: FixtureTask[] = fixtureTasks.map((task) => ({ ...task }));
  private readonly changes: { action: string; title: string; revert: () => void }[] = [];
  private nextNumber = 13;

  answer(call: Call): Record<string, unknown> {
    const { name, args } = call;
    if (name === 'list_tasks') return { tasks: this.tasks.filter(matchesFilter(args)) };
    if (name === 'undo') {
      const undone = this.changes.splice(-Number(args.count ?? 1)).reverse();
      for (const change of undone) change.revert();
      return { undone: undone.map(({ action, title }) => ({ action, title })) };
    }
    if (name === 'add_task') {
      const task: FixtureTask = {
        number: this.nextNumber++,
        title: String(args.title),
        status: 'pending',
        priority: (args.priority as FixtureTask['priority']) ?? 'medium',
        due_date: null,
      };
      this.tasks.push(task);
      this.record('created', task, () => this.tasks.splice(this.tasks.indexOf(task), 1));
      return { task_number: task.number, status: 'created', title: task.title, ...(args.list ? { list: args.list } : {}) };
    }
    const task = this.tasks.find((candidate) => candidate.number === args.task_number);
    if (!task) return { error: `Task ${String(args.task_number)} not found` };
    const before = { ...task };
    const restore = () => Object.assign(task, before);
    switch (name) {
      case 'delete_task':
        this.tasks.splice(this.tasks.indexOf(task), 1);
        this.record('deleted', task, () => this.tasks.push(task));
        return { task_number: task.number, status: 'deleted', title: task.title };
      case 'complete_task':
        task.status = 'completed';
        this.record('completed', task, restore);
        return { task_number: task.number, status: 'completed', title: task.title };
      case 'update_task':
        if (typeof args.title === 'string') task.title = args.title;
        if (typeof args.priority === 'string') task.priority = args.priority as FixtureTask['priority'];
        if (args.completed === false) task.status = 'pending';
        this.record('updated', task, restore);
        return { task_number: task.number, status: 'updated', title: task.title };
      case 'list_comments':
        return { task_number: task.number, title: task.title, comments: [] };
      default:
        this.record(name, task, restore);
        return { task_number: task.number, status: name.replace(/_.*/, 'd'), title: task.title };
    }
  }

  private record(action: string, task: FixtureTask, revert: () => void) {
    this.changes.push({ action, title: task.title, revert });
  }
}

/** Every tool call the assistant makes for a request after `messages` (the conversation so far, extended), round by round, and what it finally says. */
function runTurn(simulation: Simulation, messages: ChatMessage[], text: string): { calls: Call[]; reply: string } {
  messages.push({ role: 'user', content: text });
  const calls: Call[] = [];
  for (let round = 0; round < 6; round++) {
    const step = nextStep(messages, { now, timeZone });
    if ('say' in step) {
      messages.push({ role: 'assistant', content: step.say });
      return { calls, reply: step.say };
    }
    const ids = step.calls.map((_, index) => `call_${messages.length}_${index}`);
    messages.push({
      role: 'assistant',
      content: null,
      tool_calls: step.calls.map((call, index) => ({ id: ids[index]!, name: call.name, arguments: JSON.stringify(call.args) })),
    });
    step.calls.forEach((call, index) => {
      calls.push(call);
      messages.push({ role: 'tool', tool_call_id: ids[index]!, content: JSON.stringify(simulation.answer(call)) });
    });
  }
  return { calls, reply: '' };
}

/** Every tool call the assistant makes for a request alone, and what it finally says. */
export function run(text: string): { calls: Call[]; reply: string } {
  return runTurn(new Simulation(), [], text);
}

/** Each turn of a conversation, answered in order against one simulated list. */
export function runConversation(texts: string[]): { calls: Call[]; reply: string }[] {
  const simulation = new Simulation();
  const messages: ChatMessage[] = [];
  return texts.map((text) => runTurn(simulation, messages, text));
}

const numbersOf = (tasks: FixtureTask[]) => tasks.map((task) => task.number).join(',');
const sameText = (a: unknown, b: unknown) => String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase();

function matches(expected: ExpectedCall, got: Call): boolean {
  if (expected.name !== got.name) return false;
  const { args } = expected;
  switch (expected.name) {
    case 'list_tasks': {
      const shows = args.shows as number[] | undefined;
      const wanted = shows ? fixtureTasks.filter((task) => shows.includes(task.number)) : listed(args);
      return (
        args.status === got.args.status &&
        numbersOf(wanted) === numbersOf(listed(got.args)) &&
        args.list === got.args.list &&
        args.assignee === got.args.assignee &&
        args.due === got.args.due
      );
    }
    case 'add_task':
      return (
        sameText(args.title, got.args.title) &&
        args.priority === got.args.priority &&
        args.due_date === got.args.due_date &&
        args.list === got.args.list &&
        args.recurrence === got.args.recurrence &&
        args.description === got.args.description &&
        args.remind === got.args.remind
      );
    default:
      return Object.keys({ ...args, ...got.args }).every((key) =>
        key === 'title' ? sameText(args[key], got.args[key]) : JSON.stringify(args[key]) === JSON.stringify(got.args[key]),
      );
  }
}

/** The calls that carry out the request: lookups before an action are the assistant's own business. */
function actions(calls: Call[]): Call[] {
  const acting = calls.filter((call) => call.name !== 'list_tasks');
  return acting.length > 0 ? acting : calls;
}

/** Whether the calls made carry out the calls meant (in any order). */
function carriesOut(expected: ExpectedCall[], calls: Call[]): { ok: boolean; got: Call[] } {
  const got = actions(calls);
  const remaining = [...got];
  const ok =
    got.length === expected.length &&
    expected.every((call) => {
      const index = remaining.findIndex((candidate) => matches(call, candidate));
      if (index < 0) return false;
      remaining.splice(index, 1);
      return true;
    });
  return { ok, got };
}

export function passes(testCase: Case): { ok: boolean; got: Call[] } {
  return carriesOut(testCase.calls, run(testCase.text).calls);
}

/** A conversation passes when every one of its turns does what it means; `turn` is the first that did not. */
export function conversationPasses(conversation: Conversation): { ok: boolean; turn?: number; got?: Call[] } {
  const results = runConversation(conversation.turns.map((turn) => turn.text));
  for (const [index, turn] of conversation.turns.entries()) {
    const { ok, got } = carriesOut(turn.calls, results[index]!.calls);
    if (!ok) return { ok, turn: index, got };
  }
  return { ok: true };
}
