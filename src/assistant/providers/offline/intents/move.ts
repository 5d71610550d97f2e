// Reordering by hand: "move task 3 before task 1", "put the milk after the bread".
import { callsStep, lastMentionedTask } from '../acting.ts';
import { defineIntent, example, type ListedTask, type TaskReference } from '../grammar.ts';
import { matchTasks } from '../matching.ts';
import { findReference } from '../references.ts';
import { confirmationReply, noMatchReply, noReferentReply, notFoundReply } from '../replies.ts';

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
  plan(intent, { outcomes, earlier }) {
    const listed = outcomes.find((outcome) => outcome.name === 'list_tasks')?.output.tasks as ListedTask[] | undefined;
    const moved = outcomes.find((outcome) => outcome.name === 'move_task');
    if (moved) return { say: moved.output.error ? notFoundReply(Number(moved.args.task_number)) : confirmationReply('move', moved.output as never) };
    if (('phrase' in intent.ref || 'phrase' in intent.anchor) && !listed) return callsStep({ name: 'list_tasks', args: { status: 'all', limit: 200 } });
    const number = (ref: TaskReference): number | string => {
      if ('number' in ref) return ref.number;
      if ('it' in ref) return lastMentionedTask(earlier) ?? noReferentReply();
      const matches = matchTasks(ref.phrase, listed ?? []);
      return matches.length === 1 ? matches[0]!.number : noMatchReply(ref.phrase);
    };
    const [task, anchor] = [number(intent.ref), number(intent.anchor)];
    if (typeof task === 'string') return { say: task };
    if (typeof anchor === 'string') return { say: anchor };
    return callsStep({ name: 'move_task', args: { task_number: task, [intent.before ? 'before' : 'after']: anchor } });
  },
});
