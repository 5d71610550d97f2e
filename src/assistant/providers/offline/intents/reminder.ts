// Reminders of a task already there: "remind me 30 minutes before", "remind me an hour before the
// dentist", "snooze that for an hour", "snooze the gym task 10 minutes".
import { callsStep, lookup, targetOfRef, whereOf } from '../acting.ts';
import { defineIntent, example } from '../grammar.ts';
import { findReference } from '../references.ts';
import { notFoundReply } from '../replies.ts';
import { numberWords } from '../words.ts';

const amount = '(\\d+|an?|one|two|three|four|five|ten|fifteen|twenty|thirty|half an?)';
const unit = '(min(?:ute)?s?|h(?:ou)?rs?|hours?|days?)';
/** "30 minutes", "an hour", "half an hour", "2 days" → minutes. */
function minutesOf(count: string, per: string): number {
  const n = /^half/i.test(count) ? 0.5 : /^an?$/i.test(count) ? 1 : /^\d+$/.test(count) ? Number(count) : (numberWords[count.toLowerCase()] ?? 1);
  const factor = /^h/i.test(per) ? 60 : /^d/i.test(per) ? 1_440 : 1;
  return Math.round(n * factor);
}

const remindBefore = new RegExp(`^remind me ${amount} ${unit} (?:before|ahead(?: of)?|early)(?:\\s+(?:the\\s+)?(.+?))?$`, 'i');
const snooze = new RegExp(`^snooze\\s+(.+?)\\s+(?:for\\s+)?${amount} ${unit}$`, 'i');

export const reminder = defineIntent({
  kind: 'reminder' as const,
  verbs: {},
  rules: {
    remindBefore: {
      read: ({ text }) => {
        const match = remindBefore.exec(text);
        if (!match) return undefined;
        const ref = match[3] && !/^(it|that|then)$/i.test(match[3]) ? findReference(match[3]) : { it: true as const };
        return ref ? { kind: 'reminder', ref, minutes: minutesOf(match[1]!, match[2]!), snooze: false } : undefined;
      },
      examples: [
        example('remind me 30 minutes before task 2', { name: 'update_task', args: { task_number: 2, remind: 30 } }),
        example('remind me an hour before the dentist', { name: 'update_task', args: { task_number: 2, remind: 60 } }),
      ],
    },
    snooze: {
      read: ({ text }) => {
        const match = snooze.exec(text);
        const ref = match && (/^(it|that|this|that one)$/i.test(match[1]!) ? { it: true as const } : findReference(match[1]!));
        return ref ? { kind: 'reminder', ref, minutes: minutesOf(match[2]!, match[3]!), snooze: true } : undefined;
      },
      examples: [
        example('snooze task 5 for 10 minutes', { name: 'snooze_reminder', args: { task_number: 5, minutes: 10 } }),
        example('snooze the gym task for an hour', { name: 'snooze_reminder', args: { task_number: 12, minutes: 60 } }),
      ],
    },
  },
  plan(intent, turn) {
    const tool = intent.snooze ? 'snooze_reminder' : 'update_task';
    const done = turn.outcomes.find((outcome) => outcome.name === tool);
    if (done) {
      if (done.output.error) return { say: notFoundReply(Number(done.args.task_number)) };
      const task = `task #${String(done.output.task_number)} "${String(done.output.title)}"`;
      if (intent.snooze) return { say: `Snoozed: I'll remind you about ${task} in ${intent.minutes} minutes.` };
      return { say: `I'll remind you ${intent.minutes} minutes before ${task} is due.` };
    }
    const target = targetOfRef(intent.ref, turn);
    if (target === undefined) return lookup();
    if (typeof target === 'string') return { say: target };
    return callsStep(
      intent.snooze
        ? { name: 'snooze_reminder', args: { ...whereOf(target), minutes: intent.minutes } }
        : { name: 'update_task', args: { ...whereOf(target), remind: intent.minutes } },
    );
  },
});
