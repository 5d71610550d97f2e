// Recurring tasks: an RFC 5545 RRULE (checked and evaluated by `rrule`) read in the user's zone
// from the task's due date. The rule runs on the due date's wall clock ("floating" time), and each
// occurrence is then placed in the zone: "every day at 9" stays 09:00 local across DST changes.
import { DateTime } from 'luxon';
import rrule from 'rrule';
import { z } from 'zod';
import type { ResolvedDue } from '../shared/dates.ts';

const { RRule, Frequency } = rrule;

/** Rules that repeat faster than hourly are refused: a task is not a metronome. */
const allowedFrequencies = new Set([Frequency.YEARLY, Frequency.MONTHLY, Frequency.WEEKLY, Frequency.DAILY, Frequency.HOURLY]);

/** A rule as given (`FREQ=WEEKLY;BYDAY=MO`, `RRULE:` allowed in front) → its canonical form, or why not. */
export function parseRecurrence(text: string): { rule: string } | { problem: string } {
  const value = text.trim().replace(/^RRULE:/i, '');
  if (/DTSTART|\n/i.test(value)) return { problem: 'must be an RRULE value such as FREQ=WEEKLY;BYDAY=MO (its start is the due date)' };
  try {
    const options = RRule.parseString(value);
    if (options.freq === undefined) return { problem: 'must name a FREQ (e.g. FREQ=DAILY)' };
    if (!allowedFrequencies.has(options.freq)) return { problem: 'must repeat hourly at the most often' };
    if (options.count !== undefined && options.count !== null && options.count < 1) return { problem: 'COUNT must be at least 1' };
    return { rule: new RRule(options).toString().replace(/^RRULE:/, '') };
  } catch (error) {
    return { problem: `is not an RRULE: ${(error as Error).message}` };
  }
}

/** The `recurrence` field of a task body: an RRULE value, or null to end the recurrence. */
export const recurrenceField = z
  .string()
  .max(500)
  .transform((text, context) => {
    const parsed = parseRecurrence(text);
    if ('problem' in parsed) {
      context.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed.rule;
  })
  .nullable()
  .meta({ description: 'An RFC 5545 RRULE value (FREQ=WEEKLY;BYDAY=MO), read in your zone from the due date; null ends it', example: 'FREQ=WEEKLY;BYDAY=MO' });

/** A wall clock as a UTC instant of the same digits (rrule's floating time). */
const floating = (local: DateTime) => new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));

/**
 * The occurrence after `due` of `rule` in `zone`, and the rule to keep for the ones after it (a
 * COUNT counts down, the due date being the first); undefined when the rule has ended.
 */
export function nextOccurrence(rule: string, due: ResolvedDue, zone: string): { due: ResolvedDue; rule: string } | undefined {
  const options = RRule.parseString(rule);
  if (options.count !== undefined && options.count !== null && options.count <= 1) return undefined;
  const start = floating(DateTime.fromJSDate(due.at, { zone }));
  const next = new RRule({ ...options, dtstart: start }).after(start, false);
  if (!next) return undefined;
  const wall = DateTime.fromObject(
    {
      year: next.getUTCFullYear(),
      month: next.getUTCMonth() + 1,
      day: next.getUTCDate(),
      hour: next.getUTCHours(),
      minute: next.getUTCMinutes(),
      second: next.getUTCSeconds(),
    },
    { zone },
  );
  const following = options.count ? new RRule({ ...options, count: options.count - 1 }).toString().replace(/^RRULE:/, '') : rule;
  return { due: { at: wall.toJSDate(), on: due.on ? wall.toISODate() : null }, rule: following };
}
