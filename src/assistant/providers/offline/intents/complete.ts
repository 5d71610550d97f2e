// Completing tasks: led by a verb ("complete …", "tick off …"), or said to be done ("the rent is
// paid", "I called the dentist", "that's done: the milk").
import { actOn } from '../acting.ts';
import { notDone, readChange } from '../changes.ts';
import { defineIntent, example, expect } from '../grammar.ts';
import { findPriority } from '../priorities.ts';
import { findReference, findReferences, objectOf, withRef } from '../references.ts';
import { subject } from '../text.ts';
import { lemma, taskVerbs } from '../words.ts';

/** "the rent is paid", "plants watered", "task 6 - done", "milk: done". */
const doneStatement =
  /^(.+?)\s*(?:\b(?:is|are|was|were|has been|have been|got|'s)\s+(?:now\s+|all\s+|finally\s+|already\s+)?)?(?:[:-]\s*)?\b(done|complete|completed|finished|sorted|handled|taken care of|dealt with|out of the way|clean|ready|over|[a-z]+ed|paid|bought|sent|made|got)(\s+now|\s+already)?$/i;

export const complete = defineIntent({
  kind: 'complete' as const,
  verbs: {
    complete:
      'complete, finish, done, check, check off, tick, tick off, cross, cross off, mark off, close, wrap up, knock out, nail, sort, sort out, handle, accomplish, take care, tackle, mark',
  },
  lead: {
    read: ({ lead, clock }) => {
      const { rest, verb } = lead!;
      // "mark 3 as urgent" / "mark it as not done" change the task; "sort the garage" (not past) adds one.
      const afterAs = /\bas\s+(.+)$/i.exec(rest)?.[1] ?? '';
      if (verb === 'mark' && afterAs && (notDone.test(afterAs) || findPriority(afterAs))) return readChange(rest, verb, clock);
      if (/^(sort|sort out|handle|nail|tackle|knock out|wrap up|take care)$/.test(verb) && !lead!.past && !lead!.hadSubject) return undefined;
      const refs = findReferences(objectOf(rest));
      return refs.length ? { kind: 'complete', refs } : undefined;
    },
    examples: [
      example('complete 1 and 3', expect.complete(1), expect.complete(3)),
      example('check off buy milk', expect.complete(1)),
      example('I finished task 4', expect.complete(4)),
      example('mark task 3 as urgent', expect.update(3, { priority: 'urgent' })),
    ],
  },
  rules: {
    doneFirst: {
      read: ({ text }) => {
        const doneFirst = /^(?:that'?s|it'?s|this is|mark(?: it)?)\s+(?:done|finished|complete|completed)[,:;-]?\s+(.+)$/i.exec(text.replace(subject, ''));
        const refs = doneFirst ? findReferences(doneFirst[1]!) : [];
        return refs.length ? { kind: 'complete', refs } : undefined;
      },
      examples: [example("that's done, the milk", expect.complete(1))],
    },
    pastTense: {
      // "I called the dentist", "Emailed Sarah", "booked the flights": a task verb in the past tense.
      read: ({ text }) => {
        const [first = '', ...others] = text.replace(subject, '').split(' ');
        const base = lemma(first);
        if (!others.length || base === first.toLowerCase() || !taskVerbs.has(base) || !/(ed|[^e]d|ght|id|nt|ot|ook|ade|ent)$/i.test(first)) return undefined;
        return withRef(findReference(`${base} ${others.join(' ')}`), (ref) => ({ kind: 'complete', refs: [ref] }));
      },
      examples: [example('I called the dentist', expect.complete(2)), example('got the milk', expect.complete(1))],
    },
    doneStatement: {
      read: ({ text }) => {
        const statement = doneStatement.exec(text.replace(subject, ''));
        if (!statement) return undefined;
        const word = statement[2]!.toLowerCase();
        const verb = lemma(word);
        if (/ed$/.test(word) && !taskVerbs.has(verb) && !/^(complet|finish|sort|handl)/.test(word)) return undefined;
        const subjectText = statement[1]!.replace(/^that'?s\s+/i, '').replace(/[,:-]+$/, '');
        const mentioned = /^(done|complete|completed|finished|sorted|handled|clean|ready|over)$/.test(word) ? subjectText : `${subjectText} ${verb}`;
        const refs = findReferences(mentioned);
        return refs.length ? { kind: 'complete', refs } : undefined;
      },
      examples: [example('the rent is paid', expect.complete(3)), example('task 8 is done', expect.complete(8))],
    },
  },
  plan: actOn,
});
