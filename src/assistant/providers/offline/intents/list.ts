// Listing tasks: all, pending or completed, by priority or words of their titles, or how many.

import type { TaskPriority } from '../../../../db/entities/index.ts';
import type { DueView } from '../../../../tasks/tasks.schemas.ts';
import { notDone } from '../changes.ts';
import { defineIntent, example, expect, type Intent, type ListedTask } from '../grammar.ts';
import { findPriority } from '../priorities.ts';
import { findReference, takeListName } from '../references.ts';
import { listingReply } from '../replies.ts';

/** Words before "tasks" that say which tasks without being a label. */
const notALabel =
  /^(pending|completed|complete|done|finished|unfinished|open|urgent|important|high|low|medium|normal|remaining|outstanding|current|all|other|own|todo|to-do|recent|latest|old|new|upcoming|overdue|assigned|archived|priority)$/i;

function readListing(request: string): Intent {
  // "what's on the team list", "what is assigned to me", "tasks assigned to Sam".
  const { list, rest: text } = takeListName(request);
  const assigned = /\bassigned to (me|[a-z][\w'’-]*(?: [a-z][\w'’-]*)?)\b/i.exec(text);
  // "tasks tagged work", "my work tasks" (a word that is no status, priority or kind of list).
  const labelled =
    /\b(?:tagged|labell?ed)\s+(?:as\s+)?["“']?([\w-]+)["”']?/i.exec(text)?.[1] ??
    /\bmy\s+([a-z][\w-]*)\s+(?:tasks|todos|items)\b/i.exec(text)?.[1]?.replace(notALabel, '');
  // "a due date" names no status: "tasks with no due date" are any tasks.
  const lower = text
    .replace(assigned?.[0] ?? '', ' ')
    .toLowerCase()
    .replace(/\b(no|without( a| any)?) due dates?\b/, 'no date');
  const completed = /\b(completed|complete|done|finished|did i|have i (done|finished|completed)|accomplished|ticked off|checked off)\b/.test(lower);
  const pending =
    notDone.test(lower) ||
    /\b(left|remaining|remains?|still|outstanding|need to do|have to do|supposed to|should i|work on|on my plate|due|upcoming|next|what i need)\b/.test(lower);
  const status = pending ? 'pending' : completed ? 'completed' : 'all';
  const searchMatch =
    /\b(?:about|with|containing|mentioning|matching|named|called|for|regarding|related to)\s+(?:the\s+)?["“']?([^"”']+?)["”']?(?:\s+tasks?)?$/i.exec(text);
  const phrase = searchMatch?.[1];
  const search = phrase && !/^(me|my|all|everything|today|tomorrow|now|this week|next)\b/i.test(phrase) ? findReference(phrase) : undefined;
  // "the low ones", "high priority tasks".
  const priority = /\b(urgent|high|low|important)\b/.test(lower) ? (findPriority(lower) ?? (/\b(high|low)\b/.exec(lower)?.[1] as TaskPriority)) : undefined;
  const due = dueViewOf(lower);
  return {
    kind: 'list',
    status,
    priority,
    search: search && 'phrase' in search && !assigned ? search.phrase : undefined,
    count: /\bhow many\b/.test(lower),
    ...(list ? { list } : {}),
    ...(assigned ? { assignee: assigned[1]!.toLowerCase() === 'me' ? 'me' : assigned[1]! } : {}),
    ...(labelled ? { label: labelled.toLowerCase() } : {}),
    ...(due ? { due } : {}),
  };
}

/** "what's due today", "anything late?", "what do I have this week", "what's coming up", "tasks without a date". */
function dueViewOf(text: string): DueView | undefined {
  if (/\b(overdue|late|past due|behind on|missed|slipped)\b/.test(text)) return 'overdue';
  if (/\b(no|without( a| any)?) (due )?(dates?|deadlines?)\b|\bundated\b|\bunscheduled\b/.test(text)) return 'none';
  if (/\b(today|tonight|this (morning|afternoon|evening))\b/.test(text)) return 'today';
  if (/\b(this week|the week|next (7|seven) days|coming week)\b/.test(text)) return 'week';
  if (/\b(upcoming|coming up|later on|in the future|ahead)\b/.test(text)) return 'upcoming';
  return undefined;
}

export const list = defineIntent({
  kind: 'list' as const,
  verbs: { list: 'show, list, display, view, see, give, tell, read, find, search, look, look up, lookup, check on, review' },
  lead: {
    read: ({ text }) => readListing(text),
    examples: [
      example('show my tasks', expect.list()),
      example('list my high priority tasks', expect.list('all', { priority: 'high', shows: [2, 9] })),
      example('show the family list', { name: 'list_tasks', args: { status: 'all', list: 'family' } }),
      example('show tasks assigned to Sam', { name: 'list_tasks', args: { status: 'all', assignee: 'Sam' } }),
      example('show my work tasks', { name: 'list_tasks', args: { status: 'all', label: 'work' } }),
      example('list the tasks tagged errands', { name: 'list_tasks', args: { status: 'all', label: 'errands' } }),
    ],
  },
  rules: {
    question: {
      read: ({ text }) =>
        /^remind me (what|which|how|of my)\b/i.test(text) ||
        /^(what|which|how many|how much|do i have|have i|did i|are there|is there|any|anything|whats|what's|where|am i (behind|late)|my (tasks|todos|list))\b/i.test(
          text,
        ) ||
        /^(tasks|todos|to-?dos|my list|list|open tasks)$/i.test(text)
          ? readListing(text)
          : undefined,
      examples: [
        example("what's left", expect.list('pending')),
        example('what did I finish?', expect.list('completed')),
        example('any urgent tasks?', expect.list('all', { priority: 'urgent', shows: [3] })),
        example('do I have anything about rome?', expect.list('all', { shows: [4] })),
        example("what's on the team list?", { name: 'list_tasks', args: { status: 'all', list: 'team' } }),
        example("what's assigned to me?", { name: 'list_tasks', args: { status: 'all', assignee: 'me' } }),
        example('what are my work tasks?', { name: 'list_tasks', args: { status: 'all', label: 'work' } }),
        example("what's due today?", { name: 'list_tasks', args: { status: 'pending', due: 'today' } }),
        example('anything late?', { name: 'list_tasks', args: { status: 'all', due: 'overdue' } }),
        example('what do I have this week?', { name: 'list_tasks', args: { status: 'all', due: 'week' } }),
      ],
    },
  },
  plan(intent, { outcomes, clock }) {
    const last = outcomes.at(-1);
    if (last) return { say: listingReply(intent, (last.output.tasks as ListedTask[]) ?? [], clock.timeZone) };
    return {
      calls: [
        {
          name: 'list_tasks',
          args: {
            status: intent.status,
            ...(intent.priority ? { priority: intent.priority } : {}),
            ...(intent.search ? { search: intent.search } : {}),
            ...(intent.list ? { list: intent.list } : {}),
            ...(intent.assignee ? { assignee: intent.assignee } : {}),
            ...(intent.label ? { label: intent.label } : {}),
            ...(intent.due ? { due: intent.due } : {}),
          },
        },
      ],
    };
  },
});
