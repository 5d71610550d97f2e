import { describe, expect, it } from 'vitest';
import { corpus } from './corpus.ts';
import { passes, run } from './evaluate.ts';

const tuning = corpus.filter((testCase) => !testCase.heldOut);
const heldOut = corpus.filter((testCase) => testCase.heldOut);

describe('offline understanding: the corpus of everyday requests', () => {
  it('has at least 300 requests across every tool and small talk, at least 60 of them held out', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(heldOut.length).toBeGreaterThanOrEqual(60);
    const tools = new Set(corpus.flatMap((testCase) => testCase.calls.map((call) => call.name)));
    expect([...tools].sort()).toEqual([
      'add_comment',
      'add_task',
      'archive_task',
      'complete_task',
      'delete_task',
      'list_comments',
      'list_tasks',
      'move_task',
      'snooze_reminder',
      'undo',
      'update_task',
    ]);
    expect(corpus.filter((testCase) => testCase.calls.length > 1).length).toBeGreaterThanOrEqual(20);
  });

  it.each(tuning.map((testCase) => [testCase.text, testCase]))('%s', (_, testCase) => {
    const { ok, got } = passes(testCase);
    expect(ok, `got ${JSON.stringify(got)}, wanted ${JSON.stringify(testCase.calls)}`).toBe(true);
  });

  it('understands at least 95% of the held-out split', () => {
    const right = heldOut.filter((testCase) => passes(testCase).ok).length;
    expect(right / heldOut.length).toBeGreaterThanOrEqual(0.95);
  });

  it('makes several tool calls in one round for several tasks, and confirms each', () => {
    expect(run('add milk and eggs')).toEqual({
      calls: [
        { name: 'add_task', args: { title: 'Milk' } },
        { name: 'add_task', args: { title: 'Eggs' } },
      ],
      reply: expect.stringMatching(/Added task #\d+ "Milk"\.\nAdded task #\d+ "Eggs"\./),
    });
    expect(run('complete 1 and 3').reply).toBe('Nice work! I marked task #1 "Buy milk" as complete.\nNice work! I marked task #3 "Pay rent" as complete.');
  });

  it('asks which task when words fit several equally, instead of guessing', () => {
    const { calls, reply } = run('complete the report');
    expect(calls.map((call) => call.name)).toEqual(['list_tasks']);
    expect(reply).toMatch(/2 tasks matching "report"[\s\S]*#6[\s\S]*#9[\s\S]*Which one/);
  });
});
