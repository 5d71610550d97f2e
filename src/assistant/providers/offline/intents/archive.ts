// Archiving tasks: "archive task 3", "put the milk away", "shelve the garage task".
import { actOn } from '../acting.ts';
import { defineIntent, example } from '../grammar.ts';
import { findReferences, objectOf } from '../references.ts';

export const archive = defineIntent({
  kind: 'archive' as const,
  verbs: { archive: 'archive, shelve, put away, file away' },
  lead: {
    read: ({ lead }) => {
      const refs = findReferences(objectOf(lead!.rest.replace(/\s+away$/i, '')));
      return refs.length ? { kind: 'archive', refs } : undefined;
    },
    examples: [
      example('archive task 7', { name: 'archive_task', args: { task_number: 7 } }),
      example('archive the garage task', { name: 'archive_task', args: { task_number: 11 } }),
      example('put the milk away', { name: 'archive_task', args: { task_number: 1 } }),
    ],
  },
  rules: {},
  plan: actOn,
});
