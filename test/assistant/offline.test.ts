import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/assistant/provider.ts';
import { nextStep } from '../../src/assistant/providers/offline/offline.provider.ts';

// Monday 23 November 2026, noon UTC.
const now = new Date('2026-11-23T12:00:00Z');
const clock = { now, timeZone: 'UTC' };
const first = (text: string) => nextStep([{ role: 'user', content: text }], clock);

type Expected = [string, string, Record<string, unknown>];

// Each phrasing and the first tool call it must produce.
const table: Expected[] = [
  // adding
  ['Add a task to buy groceries', 'add_task', { title: 'Buy groceries' }],
  ['add buy milk', 'add_task', { title: 'Buy milk' }],
  ['Add "Call the plumber" to my list', 'add_task', { title: 'Call the plumber' }],
  ['Create a task called review the budget', 'add_task', { title: 'Review the budget' }],
  ['Create a new task: renew passport', 'add_task', { title: 'Renew passport' }],
  ['please add water the plants', 'add_task', { title: 'Water the plants' }],
  ['Can you add pick up the kids?', 'add_task', { title: 'Pick up the kids' }],
  ['I need to remember to pay bills', 'add_task', { title: 'Pay bills' }],
  ['I need to call the dentist', 'add_task', { title: 'Call the dentist' }],
  ['I have to finish the report', 'add_task', { title: 'Finish the report' }],
  ['I should book flights', 'add_task', { title: 'Book flights' }],
  ['I gotta clean the garage', 'add_task', { title: 'Clean the garage' }],
  ['Remind me to call mom', 'add_task', { title: 'Call mom' }],
  ['remind me to buy a gift tomorrow', 'add_task', { title: 'Buy a gift', due_date: '2026-11-24' }],
  ["Don't let me forget to water the plants", 'add_task', { title: 'Water the plants' }],
  ["don't forget to send the invoice", 'add_task', { title: 'Send the invoice' }],
  ['Remember to cancel the gym membership', 'add_task', { title: 'Cancel the gym membership' }],
  ['remember to delete old photos', 'add_task', { title: 'Delete old photos' }],
  ['Add dentist appointment next friday at 5pm', 'add_task', { title: 'Dentist appointment', due_date: '2026-12-04T17:00:00.000Z' }],
  ['Add submit taxes by Dec 5', 'add_task', { title: 'Submit taxes', due_date: '2026-12-05' }],
  ['add renew insurance in 3 days', 'add_task', { title: 'Renew insurance', due_date: '2026-11-26' }],
  ['Add fix the server, it is urgent', 'add_task', { title: 'Fix the server', priority: 'urgent' }],
  ['add an urgent task to fix the leak', 'add_task', { title: 'Fix the leak', priority: 'urgent' }],
  ['Add high priority task prepare slides', 'add_task', { title: 'Prepare slides', priority: 'high' }],
  ['add read a book, low priority', 'add_task', { title: 'Read a book', priority: 'low' }],
  ['add one more thing', 'add_task', { title: 'One more thing' }],
  ['add call about the low battery', 'add_task', { title: 'Call about the low battery' }],
  ['add pick up high school transcripts', 'add_task', { title: 'Pick up high school transcripts' }],
  ['Put buy bread on my list', 'add_task', { title: 'Buy bread' }],
  ['Jot down call the bank', 'add_task', { title: 'Call the bank' }],
  ['Make a task to walk the dog', 'add_task', { title: 'Walk the dog' }],
  ['new task: email the landlord', 'add_task', { title: 'Email the landlord' }],
  ['Schedule a haircut on saturday', 'add_task', { title: 'Haircut', due_date: '2026-11-28' }],
  ['hey, add buy stamps please', 'add_task', { title: 'Buy stamps' }],
  ['I want you to add wash the car', 'add_task', { title: 'Wash the car' }],
  // listing
  ['Show me all my tasks', 'list_tasks', { status: 'all' }],
  ['show my tasks', 'list_tasks', { status: 'all' }],
  ['List my todos', 'list_tasks', { status: 'all' }],
  ['What are my tasks?', 'list_tasks', { status: 'all' }],
  ["What's pending?", 'list_tasks', { status: 'pending' }],
  ['what is still pending', 'list_tasks', { status: 'pending' }],
  ['What do I still need to do?', 'list_tasks', { status: 'pending' }],
  ['What have I completed?', 'list_tasks', { status: 'completed' }],
  ['What did I finish?', 'list_tasks', { status: 'completed' }],
  ['show completed tasks', 'list_tasks', { status: 'completed' }],
  ['Show me the tasks I have done', 'list_tasks', { status: 'completed' }],
  ['How many tasks are left?', 'list_tasks', { status: 'pending' }],
  ['how many tasks do I have', 'list_tasks', { status: 'all' }],
  ['Which tasks are not done yet?', 'list_tasks', { status: 'pending' }],
  ['show my unfinished tasks', 'list_tasks', { status: 'pending' }],
  ['Show urgent tasks', 'list_tasks', { status: 'all', priority: 'urgent' }],
  ['list high priority tasks', 'list_tasks', { status: 'all', priority: 'high' }],
  ['Show tasks about the dentist', 'list_tasks', { status: 'all', search: 'dentist' }],
  ['find tasks containing invoice', 'list_tasks', { status: 'all', search: 'invoice' }],
  ['Do I have anything pending?', 'list_tasks', { status: 'pending' }],
  ['tasks', 'list_tasks', { status: 'all' }],
  ["What's on my list?", 'list_tasks', { status: 'all' }],
  // completing
  ['Mark task 1 as complete', 'complete_task', { task_number: 1 }],
  ['mark task 3 as done', 'complete_task', { task_number: 3 }],
  ['Complete task 2', 'complete_task', { task_number: 2 }],
  ['complete #4', 'complete_task', { task_number: 4 }],
  ['Finish task number 5', 'complete_task', { task_number: 5 }],
  ['done with task 6', 'complete_task', { task_number: 6 }],
  ['Tick off task 7', 'complete_task', { task_number: 7 }],
  ['check off task three', 'complete_task', { task_number: 3 }],
  ['I finished task 8', 'complete_task', { task_number: 8 }],
  ["I've completed task 9", 'complete_task', { task_number: 9 }],
  ['task 10 is done', 'complete_task', { task_number: 10 }],
  ['Mark the groceries task as done', 'list_tasks', { status: 'all', limit: 200 }],
  ['I finished the report', 'list_tasks', { status: 'all', limit: 200 }],
  ['tick off buy milk', 'list_tasks', { status: 'all', limit: 200 }],
  // deleting
  ['Delete task 1', 'delete_task', { task_number: 1 }],
  ['delete #12', 'delete_task', { task_number: 12 }],
  ['Remove task 4 from my list', 'delete_task', { task_number: 4 }],
  ['Get rid of task 5', 'delete_task', { task_number: 5 }],
  ['cancel task 6', 'delete_task', { task_number: 6 }],
  ['Delete the groceries task', 'list_tasks', { status: 'all', limit: 200 }],
  ['Delete the meeting task', 'list_tasks', { status: 'all', limit: 200 }],
  ['remove buy milk from my list', 'list_tasks', { status: 'all', limit: 200 }],
  ['Cancel the gym membership task', 'list_tasks', { status: 'all', limit: 200 }],
  ['please get rid of the dentist one', 'list_tasks', { status: 'all', limit: 200 }],
  ['Trash task 9', 'delete_task', { task_number: 9 }],
  // updating
  ["Change task 2 to 'Call mom tonight'", 'update_task', { task_number: 2, title: 'Call mom tonight' }],
  ['Rename task 1 to Buy fruit', 'update_task', { task_number: 1, title: 'Buy fruit' }],
  ['rename task 4 to "Plan the trip"', 'update_task', { task_number: 4, title: 'Plan the trip' }],
  ['Change the title of task 3 to Pay rent', 'update_task', { task_number: 3, title: 'Pay rent' }],
  ['Make task 3 urgent', 'update_task', { task_number: 3, priority: 'urgent' }],
  ['set task 2 priority to low', 'update_task', { task_number: 2, priority: 'low' }],
  ['change task 5 to high priority', 'update_task', { task_number: 5, priority: 'high' }],
  ['Mark task 6 as important', 'update_task', { task_number: 6, priority: 'high' }],
  ['Push task 2 to friday', 'update_task', { task_number: 2, due_date: '2026-11-27' }],
  ['Reschedule task 7 to next monday at 3pm', 'update_task', { task_number: 7, due_date: '2026-11-30T15:00:00.000Z' }],
  ['move task 1 to tomorrow', 'update_task', { task_number: 1, due_date: '2026-11-24' }],
  ['postpone task 8 until next week', 'update_task', { task_number: 8, due_date: '2026-11-30' }],
  ['Mark task 4 as not done', 'update_task', { task_number: 4, completed: false }],
  ['uncheck task 5', 'update_task', { task_number: 5, completed: false }],
  ['reopen task 9', 'update_task', { task_number: 9, completed: false }],
  ['Rename the groceries task to Weekly shop', 'list_tasks', { status: 'all', limit: 200 }],
  ['make the dentist task urgent', 'list_tasks', { status: 'all', limit: 200 }],
];

describe('offline assistant: request → first tool call', () => {
  it('has a table of at least 80 phrasings', () => {
    expect(table.length).toBeGreaterThanOrEqual(80);
  });

  it.each(table)('%s → %s %o', (text, name, args) => {
    const step = first(text);
    expect(step).toHaveProperty('calls');
    if (!('calls' in step)) return;
    expect(step.calls[0]?.name).toBe(name);
    expect(step.calls[0]?.args).toEqual(args);
  });

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
