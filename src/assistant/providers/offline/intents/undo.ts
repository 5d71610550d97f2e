// Undoing what was done in this conversation: "undo that", "undo the last two", "take that back".
import { defineIntent, example } from '../grammar.ts';
import { numberWords } from '../words.ts';

const undoRequest =
  /^(?:please\s+)?(?:undo|revert|reverse|take back|roll back)(?:\s+(?:that|it|this|the last (?:one|change|thing)|what you (?:just )?did))?(?:\s+(?:that|it))?(?:\s+back)?$|^(?:please\s+)?(?:undo|revert|reverse) the last (\d+|two|three|four|five|six|seven|eight|nine|ten)(?:\s+(?:changes|ones|things))?$/i;

export const undo = defineIntent({
  kind: 'undo' as const,
  verbs: {},
  rules: {
    undo: {
      read: ({ text }) => {
        const match = undoRequest.exec(text) ?? /^(?:take|put) (?:that|it) back$/i.exec(text);
        if (!match) return undefined;
        const count = match[1] ? (/^\d+$/.test(match[1]) ? Number(match[1]) : (numberWords[match[1].toLowerCase()] ?? 1)) : 1;
        return { kind: 'undo', count: Math.min(count, 10) };
      },
      examples: [
        example('undo that', { name: 'undo', args: { count: 1 } }),
        example('undo the last two', { name: 'undo', args: { count: 2 } }),
        example('take that back', { name: 'undo', args: { count: 1 } }),
      ],
    },
  },
  plan(intent, { outcomes }) {
    const [outcome] = outcomes;
    if (!outcome) return { calls: [{ name: 'undo', args: { count: intent.count } }] };
    if (outcome.output.error) return { say: `I couldn't undo that: ${String(outcome.output.error)}` };
    const undone = (outcome.output.undone as { action: string; title?: string }[]) ?? [];
    const said = undone.map(
      (change) => `${change.action === 'created' ? 'removed' : change.action === 'deleted' ? 'brought back' : 'reverted'} "${change.title ?? 'a task'}"`,
    );
    const refused = outcome.output.refused ? ` I stopped there: ${String(outcome.output.refused)}` : '';
    return { say: `Undone: ${said.join(', ')}.${refused}` };
  },
});
