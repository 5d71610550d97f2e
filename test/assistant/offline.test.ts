import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/assistant/provider.ts';
import { nextStep } from '../../src/assistant/providers/offline/offline.provider.ts';

// Monday 23 November 2026, noon UTC.
const now = new Date('2026-11-23T12:00:00Z');
const clock = { now, timeZone: 'UTC' };
const first = (text: string) => nextStep([{ role: 'user', content: text }], clock);

// Which tool calls a request means is the corpus's business (test/assistant/understanding); here, what a turn says.
describe('offline assistant: small talk', () => {
  it.each(['hi', 'Hello!', 'thanks', 'who are you?', 'how are you', 'help'])('answers small talk "%s" without touching tasks', (text) => {
    const step = first(text);
    expect(step).toHaveProperty('say');
  });

  it('suggests how to add when it does not understand, without creating anything', () => {
    const step = first('the weather is nice');
    expect(step).toEqual({ say: expect.stringContaining('add Weather is nice') });
  });
});

describe('offline assistant: multi-step turns', () => {
  const turn = (text: string, ...outcomes: [string, Record<string, unknown>, unknown][]): ChatMessage[] => {
    const messages: ChatMessage[] = [{ role: 'user', content: text }];
    outcomes.forEach(([name, args, output], index) => {
      messages.push({ role: 'assistant', content: null, tool_calls: [{ id: `c${index}`, name, arguments: JSON.stringify(args) }] });
      messages.push({ role: 'tool', tool_call_id: `c${index}`, content: JSON.stringify(output) });
    });
    return messages;
  };
  const task = (number: number, title: string) => ({ number, title, status: 'pending', priority: 'medium', due_date: null });

  it('acts on the single task a title matches, then confirms', () => {
    const lookup = turn('Delete the meeting task', ['list_tasks', { status: 'all', search: 'meeting' }, { tasks: [task(4, 'Team meeting')] }]);
    expect(nextStep(lookup, clock)).toEqual({ calls: [{ name: 'delete_task', args: { task_number: 4 } }] });
    const done = turn(
      'Delete the meeting task',
      ['list_tasks', { status: 'all', search: 'meeting' }, { tasks: [task(4, 'Team meeting')] }],
      ['delete_task', { task_number: 4 }, { task_number: 4, status: 'deleted', title: 'Team meeting' }],
    );
    expect(nextStep(done, clock)).toEqual({ say: 'Deleted task #4 "Team meeting".' });
  });

  it('asks instead of guessing when several tasks match, and says kindly when none does', () => {
    const several = nextStep(turn('complete the meeting task', ['list_tasks', {}, { tasks: [task(2, 'Team meeting'), task(5, 'Meeting notes')] }]), clock);
    expect(several).toEqual({ say: expect.stringMatching(/#2 Team meeting[\s\S]*#5 Meeting notes[\s\S]*Which one/) });
    const none = nextStep(turn('complete the meeting task', ['list_tasks', {}, { tasks: [] }]), clock);
    expect(none).toEqual({ say: expect.stringContaining('couldn\'t find a task matching "meeting"') });
  });

  it('reports an unknown task number kindly', () => {
    const step = nextStep(turn('Complete task 99', ['complete_task', { task_number: 99 }, { error: 'Task 99 not found' }]), clock);
    expect(step).toEqual({ say: expect.stringContaining("couldn't find task #99") });
  });

  it('resolves "it" to the task named last in the conversation', () => {
    const messages: ChatMessage[] = [
      ...turn('add buy milk', ['add_task', { title: 'Buy milk' }, { task_number: 7, status: 'created', title: 'Buy milk' }]),
      { role: 'assistant', content: 'Added task #7 "Buy milk".' },
      { role: 'user', content: 'make it urgent' },
    ];
    expect(nextStep(messages, clock)).toEqual({ calls: [{ name: 'update_task', args: { task_number: 7, priority: 'urgent' } }] });
  });

  it('lists tasks by name in its reply', () => {
    const step = nextStep(turn('show my tasks', ['list_tasks', { status: 'all' }, { tasks: [task(1, 'Buy groceries'), task(2, 'Pay bills')] }]), clock);
    expect(step).toEqual({ say: expect.stringMatching(/2 tasks:\n- #1 Buy groceries\n- #2 Pay bills/) });
  });
});
