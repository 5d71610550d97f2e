// Dates in free text, read on the user's wall clock: "tomorrow at 5pm" in Los Angeles is 17:00 of
// the next Los Angeles day, whatever the server's zone or the hour in UTC.
import * as chrono from 'chrono-node';
import { calendarDate, instantOf, localMoment } from '../../../shared/dates.ts';

export interface Clock {
  now: Date;
  timeZone: string;
}

/** A found date: a calendar date (`YYYY-MM-DD`) without a time of day, else the instant in ISO form. */
function toDue(found: chrono.ParsedResult, timeZone: string): string {
  const start = found.start;
  const parts = { year: start.get('year')!, month: start.get('month')!, day: start.get('day')! };
  if (!start.isCertain('hour')) return calendarDate(parts);
  return instantOf({ ...parts, hour: start.get('hour')!, minute: start.get('minute') ?? 0 }, timeZone).toISOString();
}

/** Finds a date or time in free text and returns it with the text around it removed. */
export function extractDate(text: string, clock: Clock): { date?: string; rest: string } {
  const reference = { instant: clock.now, timezone: localMoment(clock.now, clock.timeZone).offsetMinutes };
  const [found] = chrono.parse(text, reference, { forwardDate: true });
  if (!found) return { rest: text };
  const before = text.slice(0, found.index).replace(/\s*\b(by|on|at|due|before|for|until|till|in|from)\s*$/i, '');
  const rest = `${before} ${text.slice(found.index + found.text.length)}`.replace(/\s+/g, ' ').trim();
  return { date: toDue(found, clock.timeZone), rest };
}
