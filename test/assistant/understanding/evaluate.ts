// Runs the offline assistant on one request against the fixture list (its tools answered from that
// list in memory: this measures understanding, not storage) and compares the calls it makes with
// the calls a person means.
import type { ChatMessage } from '../../../src/assistant/provider.ts';
import { nextStep } from '../../../src/assistant/providers/offline/offline.provider.ts';
import { type Case, type ExpectedCall, type FixtureTask, fixtureTasks, now, timeZone } from './corpus.ts';

type Call = { name: string; args: Record<string, unknown> };

function listed(args: Record<string, unknown>): FixtureTask[] {
  const words = String(args.search ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  return fixtureTasks.filter(
    (task) =>
      (args.status === 'pending' ? task.status !== 'completed' : args.status === 'completed' ? task.status === 'completed' : true) &&
      (!args.priority || task.priority === args.priority) &&
      words.every((word) => task.title.toLowerCase().includes(word)),
  );
}

function answer(call: Call, index: number): Record<string, unknown> {
  if (call.name === 'list_tasks') return { tasks: listed(call.args).map((task) => ({ ...task, due_date: null })) };
  if (call.name === 'add_task') return { task_number: 100 + index, status: 'created', title: call.args.title };
  const task = fixtureTasks.find((candidate) => candidate.number === call.args.task_number);
  return task ? { task_number: task.number, status: 'done', title: task.title } : { error: `Task ${String(call.args.task_number)} not found` };
}

/** Every tool call the assistant makes for a request, round by round, and what it finally says. */
export function run(text: string): { calls: Call[]; reply: string } {
  const messages: ChatMessage[] = [{ role: 'user', content: text }];
  const calls: Call[] = [];
  for (let round = 0; round < 6; round++) {
    const step = nextStep(messages, { now, timeZone });
    if ('say' in step) return { calls, reply: step.say };
    const ids = step.calls.map((_, index) => `call_${round}_${index}`);
    messages.push({
      role: 'assistant',
      content: null,
      tool_calls: step.calls.map((call, index) => ({ id: ids[index]!, name: call.name, arguments: JSON.stringify(call.args) })),
    });
    step.calls.forEach((call, index) => {
      calls.push(call);
      messages.push({ role: 'tool', tool_call_id: ids[index]!, content: JSON.stringify(answer(call, calls.length)) });
    });
  }
  return { calls, reply: '' };
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

export function passes(testCase: Case): { ok: boolean; got: Call[] } {
  const got = actions(run(testCase.text).calls);
  const remaining = [...got];
  const ok =
    got.length === testCase.calls.length &&
    testCase.calls.every((expected) => {
      const index = remaining.findIndex((call) => matches(expected, call));
      if (index < 0) return false;
      remaining.splice(index, 1);
      return true;
    });
  return { ok, got };
}
