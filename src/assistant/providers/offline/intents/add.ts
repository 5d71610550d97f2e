// Adding tasks: one or several, with due dates and priorities, led by a verb ("add …") or framed
// as a wish ("remind me to …", "I need to …").
import { describeChanges } from '../acting.ts';
import { readChange } from '../changes.ts';
import { defineIntent, example, expect } from '../grammar.ts';
import { readNewTasks } from '../new-tasks.ts';
import { findNumber } from '../references.ts';
import { extractRecurrence } from '../repeats.ts';
import { confirmationReply } from '../replies.ts';
import { noLongerNeeded } from './delete.ts';

/** "I still need to see my tasks" is not a wish to add one; "the milk is no longer needed" neither. */
const notAWish = /^(i |we )?(need|have|want) to (see|know|check|review|look)\b/i;

export const add = defineIntent({
  kind: 'add' as const,
  verbs: {
    add: 'add, create, put, insert, jot, jot down, note, note down, write, write down, log, record, schedule, remind, remember, include, stick, pop, plan, new, enter, save, track',
  },
  lead: {
    read: ({ lead, clock }) => {
      const { rest, verb } = lead!;
      // "put task 1 at low priority" changes a task; "make a note" adds one.
      if (findNumber(rest.split(/\s+(?:at|to|as)\s+/)[0] ?? '') !== undefined && /^(put|set|stick)$/.test(verb)) return readChange(rest, verb, clock);
      return readNewTasks(rest, clock);
    },
    examples: [
      example('add milk and eggs', expect.add('Milk'), expect.add('Eggs')),
      example('add buy flowers, high priority', expect.add('Buy flowers', { priority: 'high' })),
      example('new task: submit expense report by friday', expect.add('Submit expense report', { due_date: '2026-11-27' })),
      example('put task 1 at low priority', expect.update(1, { priority: 'low' })),
      example('add milk and bread to the family list', expect.add('Milk', { list: 'family' }), expect.add('Bread', { list: 'family' })),
    ],
  },
  rules: {
    repeating: {
      // "pay rent on the first of every month", "gym every monday at 9": a repeat names a task to add.
      read: ({ text, clock }) => (extractRecurrence(text, clock).rule ? readNewTasks(text, clock) : undefined),
      examples: [
        example('yoga every wednesday', {
          name: 'add_task',
          args: { title: 'Yoga', due_date: '2026-11-25', recurrence: 'FREQ=WEEKLY;BYDAY=WE' },
        }),
      ],
    },
    wish: {
      read: ({ text, clock }) => {
        if (
          !/^(remember|remind me|don'?t (let me )?forget|(i |we )?(really )?(need|have|got|ought|want) to|(i |we )?(should|must|gotta)|i'?ve got to|i'?ll need to|todo|to-do|to do:|please note)\b/i.test(
            text,
          ) ||
          notAWish.test(text) ||
          noLongerNeeded.test(text)
        )
          return undefined;
        const body = text.replace(
          /^(remember|remind me( about)?|don'?t (let me )?forget( about)?|(i |we )?(really )?(need|have|got|ought|want) to( add)?|(i |we )?(should|must|gotta)|i'?ve got to|i'?ll need to|todo|to-do|to do:|please note)\s*(to\s+)?[:,]?\s*/i,
          '',
        );
        const intent = readNewTasks(body, clock);
        // "remind me to call mom tomorrow at 6pm": a reminder at the time it names.
        if (intent.kind === 'add' && /^remind me\b/i.test(text)) {
          for (const task of intent.tasks) if (task.due_date && task.due_date.length > 10) task.remind = 0;
        }
        return intent;
      },
      examples: [
        example('remind me to call mom tomorrow', expect.add('Call mom', { due_date: '2026-11-25' })),
        example('I need to buy a new phone charger', expect.add('Buy a new phone charger')),
        example("don't let me forget to send the invoice", expect.add('Send the invoice')),
      ],
    },
  },
  plan(intent, { outcomes, clock }) {
    if (outcomes.length === 0) return { calls: intent.tasks.map((task) => ({ name: 'add_task' as const, args: { ...task } })) };
    return {
      say: outcomes
        .map((outcome) =>
          outcome.output.error
            ? `I couldn't add "${String(outcome.args.title)}": ${String(outcome.output.error)}`
            : confirmationReply(
                'add',
                outcome.output as never,
                describeChanges(
                  {
                    priority: outcome.args.priority,
                    due_date: outcome.args.due_date,
                    description: outcome.args.description,
                    recurrence: outcome.args.recurrence,
                    remind: outcome.args.remind,
                  },
                  clock.timeZone,
                ),
              ),
        )
        .join('\n'),
    };
  },
});
