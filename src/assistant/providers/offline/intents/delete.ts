// Deleting tasks: led by a verb ("delete …", "get rid of …"), or said to be no longer needed.
import { actOn } from '../acting.ts';
import { defineIntent, example, expect } from '../grammar.ts';
import { findReferences, objectOf } from '../references.ts';
import { subject } from '../text.ts';

/** "I no longer need …", "… isn't needed anymore", "… can go": a task that should go. */
export const noLongerNeeded =
  /\b(no longer (need|want|have to|required|needed|necessary|relevant)|(don'?t|do not|doesn'?t) (need|want|have to)|(isn'?t|is not|aren'?t|are not|not) (needed|necessary|required|happening)|no need for|not needed|can go|(is|are) (cancelled|canceled|off)|any ?more)\b/i;

export const remove = defineIntent({
  kind: 'delete' as const,
  verbs: {
    delete:
      'delete, remove, erase, cancel, drop, trash, bin, ditch, scrap, scratch, discard, dump, kill, nuke, forget, purge, axe, toss, lose, get rid, throw away, throw out, take off, clear, strike, wipe, never mind, scratch off, strike off',
  },
  lead: {
    read: ({ lead }) => {
      const refs = findReferences(objectOf(lead!.rest));
      return refs.length ? { kind: 'delete', refs } : undefined;
    },
    examples: [
      example('delete task 4', expect.delete(4)),
      example('remove tasks 6, 8 and 10', expect.delete(6), expect.delete(8), expect.delete(10)),
      example('take the milk off my list', expect.delete(1)),
    ],
  },
  rules: {
    noLongerNeeded: {
      read: ({ text }) => {
        if (!noLongerNeeded.test(text)) return undefined;
        const object = text
          .replace(subject, '')
          .replace(noLongerNeeded, ' ')
          .replace(/\b(the|we|i|to|there'?s|anymore|any more|longer|no)\b/gi, ' ')
          .replace(/\s+/g, ' ');
        const refs = findReferences(objectOf(object));
        return refs.length ? { kind: 'delete', refs } : undefined;
      },
      examples: [example("I don't need the garage task anymore", expect.delete(11)), example('the flights to rome are no longer needed', expect.delete(4))],
    },
  },
  plan: actOn,
});
