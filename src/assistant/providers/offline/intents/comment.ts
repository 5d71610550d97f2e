// A task's thread: "comment on the report: the numbers are in", "add a comment to task 3 saying …",
// "what are the comments on the gym task?".
import { callsStep, lookup, targetOfRef, whereOf } from '../acting.ts';
import { defineIntent, example } from '../grammar.ts';
import { findReference } from '../references.ts';
import { notFoundReply } from '../replies.ts';
import { asWritten } from '../text.ts';

const commentRequest =
  /^(?:(?:add|leave|post|write|put|drop)\s+(?:a\s+)?comment|comment)\s+(?:on|to|under|for)\s+(.+?)\s*(?::|,?\s+saying|,?\s+that says|\s+-+|\s+—)\s*(.+)$/i;
const commentsQuestion =
  /^(?:(?:what are|what're|show(?: me)?|read(?: me)?|list|see|any|are there any|get)\s+)?(?:the\s+|all\s+(?:the\s+)?)?comments\s+(?:on|for|under|about)\s+(.+)$/i;

export const comment = defineIntent({
  kind: 'comment' as const,
  verbs: {},
  rules: {
    comment: {
      read: ({ text, said }) => {
        const match = commentRequest.exec(text);
        const ref = match && findReference(match[1]!);
        // The comment itself word for word, as written after its separator ("please" and the full stop included).
        const body = asWritten(commentRequest, said, 2) ?? match?.[2]?.trim();
        return ref && body ? { kind: 'comment', ref, body } : undefined;
      },
      examples: [
        example('comment on task 3: the plumber comes at 3', { name: 'add_comment', args: { task_number: 3, body: 'the plumber comes at 3' } }),
        example('add a comment to the garage task saying the key is under the mat', {
          name: 'add_comment',
          args: { task_number: 11, body: 'the key is under the mat' },
        }),
        example('leave a comment on the rent: paid half already', { name: 'add_comment', args: { task_number: 3, body: 'paid half already' } }),
      ],
    },
  },
  plan(intent, turn) {
    const done = turn.outcomes.find((outcome) => outcome.name === 'add_comment');
    if (done) {
      if (done.output.error) return { say: notFoundReply(Number(done.args.task_number)) };
      return { say: `Added your comment to task #${String(done.output.task_number)} "${String(done.output.title)}".` };
    }
    const target = targetOfRef(intent.ref, turn);
    if (target === undefined) return lookup();
    if (typeof target === 'string') return { say: target };
    return callsStep({ name: 'add_comment', args: { ...whereOf(target), body: intent.body } });
  },
});

export const comments = defineIntent({
  kind: 'comments' as const,
  verbs: {},
  rules: {
    question: {
      read: ({ text }) => {
        const match = commentsQuestion.exec(text);
        const ref = match && findReference(match[1]!);
        return ref ? { kind: 'comments', ref } : undefined;
      },
      examples: [
        example('what are the comments on task 4?', { name: 'list_comments', args: { task_number: 4 } }),
        example('show me the comments on the garage task', { name: 'list_comments', args: { task_number: 11 } }),
        example('any comments on the rent?', { name: 'list_comments', args: { task_number: 3 } }),
      ],
    },
  },
  plan(intent, turn) {
    const read = turn.outcomes.find((outcome) => outcome.name === 'list_comments');
    if (read) {
      if (read.output.error) return { say: notFoundReply(Number(read.args.task_number)) };
      const thread = (read.output.comments as { author: string; body: string }[] | undefined) ?? [];
      const task = `task #${String(read.output.task_number)} "${String(read.output.title)}"`;
      if (thread.length === 0) return { say: `There are no comments on ${task} yet.` };
      return { say: [`Comments on ${task}:`, ...thread.map((entry) => `- ${entry.author}: ${entry.body}`)].join('\n') };
    }
    const target = targetOfRef(intent.ref, turn);
    if (target === undefined) return lookup();
    if (typeof target === 'string') return { say: target };
    return callsStep({ name: 'list_comments', args: whereOf(target) });
  },
});
