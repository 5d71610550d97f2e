// Reordering by hand: "move task 3 before task 1", "put the milk after the bread".
import { callsStep, lookup, targetOfRef, whereOf } from '../acting.ts';
import { defineIntent, example } from '../grammar.ts';
import { findReference } from '../references.ts';
import { confirmationReply, noReferentReply, notFoundReply } from '../replies.ts';

export const move = defineIntent({
  kind: 'move' as const,
  verbs: {},
  rules: {
    order: {
      read: ({ text }) => {
        const match = /^(?:move|put|place|drag)\s+(.+?)\s+(before|above|ahead of|after|below|under|behind)\s+(.+)$/i.exec(text);
        if (!match) return undefined;
        const [ref, anchor] = [findReference(match[1]!), findReference(match[3]!)];
        return ref && anchor ? { kind: 'move', ref, anchor, before: /^(before|above|ahead of)$/i.test(match[2]!) } : undefined;
      },
      examples: [
        example('move task 3 before task 1', { name: 'move_task', args: { task_number: 3, before: 1 } }),
        example('put the milk after the garage task', { name: 'move_task', args: { task_number: 1, after: 11 } }),
      ],
    },
  },
  plan(intent, turn) {
    const { outcomes } = turn;
    const listed = outcomes.some((outcome) => outcome.name === 'list_tasks');
    const moved = outcomes.find((outcome) => outcome.name === 'move_task');
    if (moved) return { say: moved.output.error ? notFoundReply(Number(moved.args.task_number)) : confirmationReply('move', moved.output as never) };
    if (('phrase' in intent.ref || 'phrase' in intent.anchor) && !listed) return lookup();
    const [task, anchor] = [targetOfRef(intent.ref, turn), targetOfRef(intent.anchor, turn)];
    if (typeof task !== 'object') return { say: task ?? noReferentReply() };
    if (typeof anchor !== 'object') return { say: anchor ?? noReferentReply() };
    return callsStep({ name: 'move_task', args: { ...whereOf(task), [intent.before ? 'before' : 'after']: anchor.number } });
  },
});
