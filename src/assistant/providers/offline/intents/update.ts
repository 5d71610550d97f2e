// Changing a task: its title, priority (absolute or a step), due date, or done again ("reopen 3").
import { actOn } from '../acting.ts';
import { readChange } from '../changes.ts';
import { defineIntent, example, expect } from '../grammar.ts';
import { readNewTasks } from '../new-tasks.ts';
import { findPriority } from '../priorities.ts';
import { findReference, objectOf, withRef } from '../references.ts';
import { extractRecurrence } from '../repeats.ts';
import { asWritten, cleanTitle, subject } from '../text.ts';
import { extractDate } from '../when.ts';

const noteRequest =
  /^(?:(?:put|add|write|leave|attach|stick|jot|make|set)\s+(?:a|the|this|my)\s+)?(?:note|notes|description|details)\s+(?:on|to|for|in|of)\s+(.+?)\s*(?::|,?\s+saying|\s+-+|\s+—)\s*(.+)$/i;

export const update = defineIntent({
  kind: 'update' as const,
  verbs: {
    update:
      'change, rename, update, edit, modify, reschedule, move, push, postpone, delay, bump, set, make, retitle, prioritize, prioritise, deprioritize, deprioritise, switch, lower, raise, increase, decrease, reduce, downgrade, upgrade, escalate, demote, promote, shift, bring forward, extend, call it, reword, adjust, fix the',
    reopen: 'uncheck, untick, reopen, undo, unmark, restore, un-complete, uncomplete, un-check, revive',
    assign: 'assign, reassign',
    tag: 'tag, label',
    unassign: 'unassign, un-assign',
  },
  lead: {
    read: ({ lead, clock }) => {
      const { rest, verb, group } = lead!;
      // "assign the slides to Sam", "assign task 3 to me", "unassign the milk".
      if (group === 'assign' || group === 'unassign') {
        const split = group === 'assign' ? /^(.+)\s+to\s+(.+)$/i.exec(rest) : undefined;
        const who = split ? (/^me$/i.test(split[2]!.trim()) ? 'me' : split[2]!.trim()) : null;
        if (group === 'assign' && !split) return undefined;
        return withRef(findReference(objectOf(split?.[1] ?? rest)), (ref) => ({ kind: 'update', ref, changes: { assignee: who } }));
      }
      // "tag the report as work", "label task 3 groceries", "tag the milk with errands".
      if (group === 'tag') {
        const split =
          /^(.+?)\s+(?:as|with|under)\s+["“']?([\w-]+(?: [\w-]+)?)["”']?$/i.exec(rest) ?? /^(task\s+\d+|#\d+|\d+)\s+["“']?([\w-]+)["”']?$/i.exec(rest);
        if (!split) return undefined;
        return withRef(findReference(objectOf(split[1]!)), (ref) => ({ kind: 'update', ref, changes: { labelsAdded: [split[2]!.toLowerCase()] } }));
      }
      if (group === 'reopen') {
        return withRef(findReference(objectOf(rest.replace(/\s+(to|as)\s+(pending|open|not done)$/i, ''))), (ref) => ({
          kind: 'update',
          ref,
          changes: { completed: false },
        }));
      }
      // "call it the surprise party": the task just named gets that title.
      if (verb === 'call it' && rest) return { kind: 'update', ref: { it: true }, changes: { title: cleanTitle(rest) } };
      // "make a task to …", "set a reminder to …" add one.
      if (verb === 'make' && /^(a|an)\s+(new\s+)?(task|todo|to-do|note|reminder)\b/i.test(rest)) return readNewTasks(rest, clock);
      if (verb === 'set' && /^(a|an)\s+(reminder|task)\b/i.test(rest)) return readNewTasks(rest, clock);
      return readChange(rest, verb, clock);
    },
    examples: [
      example('rename task 1 to buy oat milk', expect.update(1, { title: 'Buy oat milk' })),
      example('move task 5 to friday', expect.update(5, { due_date: '2026-11-27' })),
      example('lower the priority of task 2', expect.update(2, { priority: 'medium' })),
      example('reopen task 7', expect.update(7, { completed: false })),
      example('make a task to walk the dog', expect.add('Walk the dog')),
      example('assign the quarterly report to Sam', expect.update(9, { assignee: 'Sam' })),
      example('assign task 3 to me', expect.update(3, { assignee: 'me' })),
      example('unassign task 5', expect.update(5, { assignee: null })),
      example('tag the quarterly report as work', expect.update(9, { labels: ['work'] })),
      example('tag task 3 with bills', expect.update(3, { labels: ['bills'] })),
    ],
  },
  rules: {
    note: {
      // "put a note on the gym task: bring a towel", "note on task 3: …", "add a note to it: …": the task's description.
      read: ({ text, said }) => {
        const match = noteRequest.exec(text);
        const ref = match && findReference(match[1]!);
        const note = asWritten(noteRequest, said, 2) ?? match?.[2]?.trim();
        return ref && note ? { kind: 'update', ref, changes: { description: note } } : undefined;
      },
      examples: [
        example('put a note on the gym task: bring a towel', expect.update(12, { description: 'bring a towel' })),
        example('note on task 3: the landlord wants cash', expect.update(3, { description: 'the landlord wants cash' })),
      ],
    },
    stopRepeating: {
      // "stop repeating the gym task", "don't repeat task 4 any more", "task 3 shouldn't repeat".
      read: ({ text }) => {
        const match =
          /^(?:stop|end|cancel|quit)\s+(?:repeating|the recurrence of|recurring)\s+(.+?)$|^(?:don'?t|do not|no longer)\s+repeat\s+(.+?)(?:\s+any\s?more)?$|^(.+?)\s+(?:should(?:n'?t| not)|does(?:n'?t| not) need to)\s+repeat(?:\s+any\s?more)?$/i.exec(
            text,
          );
        const phrase = match?.[1] ?? match?.[2] ?? match?.[3];
        return phrase ? withRef(findReference(phrase), (ref) => ({ kind: 'update', ref, changes: { recurrence: null } })) : undefined;
      },
      examples: [
        example('stop repeating the gym task', expect.update(12, { recurrence: null })),
        example("don't repeat task 4 anymore", expect.update(4, { recurrence: null })),
      ],
    },
    repeat: {
      // "make the gym task repeat every monday", "repeat task 8 every day", "task 5 repeats weekly".
      read: ({ text, clock }) => {
        if (!/^(make|repeat|set)\b|\b(repeats|recurs|should repeat)\b/i.test(text)) return undefined;
        const { rule, before } = extractRecurrence(text, clock);
        // The task is named between the verb and the repeat: "make <the gym task> repeat every monday".
        const phrase = before
          ?.replace(/^(make|repeat|set)\s+/i, '')
          .replace(/\s+(to\s+)?(repeat|recur|repeats|recurs|should repeat)\s*$/i, '')
          .trim();
        return rule && phrase ? withRef(findReference(phrase), (ref) => ({ kind: 'update', ref, changes: { recurrence: rule } })) : undefined;
      },
      examples: [
        example('make the gym task repeat every monday', expect.update(12, { recurrence: 'FREQ=WEEKLY;BYDAY=MO' })),
        example('repeat task 8 every other week', expect.update(8, { recurrence: 'FREQ=WEEKLY;INTERVAL=2' })),
      ],
    },
    clearDue: {
      read: ({ text }) => {
        if (!/\b(remove|clear|delete|drop|take off)\s+(the\s+)?(due date|deadline|date)\s+(from|of|on)\s+/i.test(text)) return undefined;
        return withRef(findReference(text.replace(/^.*\b(from|of|on)\s+/i, '')), (ref) => ({ kind: 'update', ref, changes: { due_date: null } }));
      },
      examples: [example('remove the due date from task 3', expect.update(3, { due_date: null }))],
    },
    untag: {
      // "remove the errands label from the milk", "take the work tag off task 9".
      read: ({ text }) => {
        const match =
          /^(?:remove|take|drop|delete|strip|clear)\s+(?:the\s+)?["“']?([\w-]+(?: [\w-]+)?)["”']?\s+(?:label|tag)\s+(?:from|off(?: of)?)\s+(.+)$/i.exec(text);
        return match ? withRef(findReference(match[2]!), (ref) => ({ kind: 'update', ref, changes: { labelsRemoved: [match[1]!.toLowerCase()] } })) : undefined;
      },
      examples: [example('remove the errands label from the milk', expect.update(1, { labels: [] }))],
    },
    notDoneStatement: {
      read: ({ text }) => {
        const reopen = /^(.+?)\s+(isn'?t|is not|wasn'?t|was not)\s+(done|finished|complete|completed)( yet)?$/i.exec(text.replace(subject, ''));
        return reopen ? withRef(findReference(reopen[1]!), (ref) => ({ kind: 'update', ref, changes: { completed: false } })) : undefined;
      },
      examples: [example("task 7 isn't done yet", expect.update(7, { completed: false }))],
    },
    changeStatement: {
      // "the rent is urgent", "task 4 is due tomorrow".
      read: ({ text, clock }) => {
        const statement = text.replace(subject, '').replace(/^(it|that|this)(?:'?s)\s+/i, '$1 is ');
        const change = /^(.+?)\s+(?:is|are|should be|needs to be|must be|has to be)\s+(?:now\s+)?(.+)$/i.exec(statement);
        if (!change) return undefined;
        const priority = findPriority(change[2]!);
        const due = /^due\b|^by\b/i.test(change[2]!) ? extractDate(change[2]!, clock).date : undefined;
        if (priority && !/\bdone\b/i.test(change[2]!)) return withRef(findReference(change[1]!), (ref) => ({ kind: 'update', ref, changes: { priority } }));
        if (due) return withRef(findReference(change[1]!), (ref) => ({ kind: 'update', ref, changes: { due_date: due } }));
        return undefined;
      },
      examples: [
        example('the rent is urgent', expect.update(3, { priority: 'urgent' })),
        example('task 4 is due tomorrow', expect.update(4, { due_date: '2026-11-25' })),
      ],
    },
  },
  plan: actOn,
});
