// Time zones and due dates: a due date is a calendar date when no time of day was given, an
// instant when one was; a time of day without an offset is read in the user's zone.
import { DateTime, IANAZone } from 'luxon';
import { AppError } from './errors.ts';

/** A due date as a client wrote it, before the user's zone is known. */
export type DueDate = { date: string } | { local: string } | { instant: Date };

/** A due date as it is stored: the calendar date (if it is one) and the instant it sorts at. */
export interface ResolvedDue {
  /** `YYYY-MM-DD` for a calendar date, null for an instant. */
  on: string | null;
  /** The instant; for a calendar date, the start of that day in the user's zone. */
  at: Date;
}

/** True for an IANA zone name this server (and PostgreSQL) can compute with, such as `Europe/Berlin`. */
export function isTimeZone(name: string): boolean {
  return name.length <= 64 && /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name) && IANAZone.isValidZone(name);
}

const knownZones = new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));

/** A zone's name in its usual spelling ("europe/berlin" → "Europe/Berlin"); names are otherwise kept as given (Asia/Kolkata stays). */
export const canonicalTimeZone = (name: string) => (name.toLowerCase() === 'utc' ? 'UTC' : name === name.toLowerCase() ? (knownZones.get(name) ?? name) : name);

/** Wall-clock `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm[:ss]` in `zone` → the instant. */
function wallClock(text: string, zone: string): Date {
  return DateTime.fromISO(text, { zone }).toJSDate();
}

/**
 * The instants every reader can hold (ISO 8601 strings without an expanded year, iCalendar,
 * PostgreSQL's AD timestamps): years 1–9999 in UTC. The database refuses any other (tasks_due_date_check).
 */
const earliestInstant = Date.parse('0001-01-01T00:00:00.000Z');
const latestInstant = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * A due date as stored. A calendar date is valid in every zone: its instant only sorts it, so near
 * the ends of the calendar it is held within the storable years. The instant of a time of day is
 * what the user reads, so one outside them (0001-01-01T00:30+01:00) is a VALIDATION_ERROR naming
 * `field`.
 */
export function resolveDue(due: DueDate, zone: string, field = 'due_date'): ResolvedDue {
  if ('date' in due) return { on: due.date, at: new Date(Math.min(Math.max(wallClock(due.date, zone).getTime(), earliestInstant), latestInstant)) };
  const at = 'instant' in due ? due.instant : wallClock(due.local, zone);
  if (!(at.getTime() >= earliestInstant && at.getTime() <= latestInstant)) {
    throw new AppError('VALIDATION_ERROR', `Invalid ${field}`, [{ field, message: 'must lie in years 1–9999 in UTC as well as in the user’s time zone' }]);
  }
  return { on: null, at };
}

/** Whether resolving needs the user's zone (an instant does not). */
export const needsZone = (due: DueDate | null | undefined): due is Exclude<DueDate, { instant: Date }> => !!due && !('instant' in due);

/** What a moment is in a zone: its date, weekday, time and offset, as people read them. */
export function localMoment(now: Date, zone: string) {
  const local = DateTime.fromJSDate(now, { zone });
  return {
    date: local.toISODate()!,
    weekday: local.toFormat('cccc'),
    time: local.toFormat('HH:mm'),
    offset: local.toFormat('ZZ'),
    /** Minutes east of UTC at that moment. */
    offsetMinutes: local.offset,
  };
}

/** An instant as an ISO date-time with the zone's offset, e.g. 2026-11-25T17:00:00-08:00. */
export const inZone = (instant: Date | string, zone: string) =>
  DateTime.fromJSDate(new Date(instant), { zone }).toISO({ suppressMilliseconds: true, includeOffset: true })!;

/** Local wall-clock parts (from a date parser) in `zone` → the instant, DST included. */
export function instantOf(parts: { year: number; month: number; day: number; hour: number; minute: number }, zone: string): Date {
  return DateTime.fromObject(parts, { zone }).toJSDate();
}

/** `YYYY-MM-DD` of a wall-clock date. */
export const calendarDate = (parts: { year: number; month: number; day: number }) =>
  `${String(parts.year).padStart(4, '0')}-${String(parts.month).padStart(2, '0')}-${String(parts.day).padStart(2, '0')}`;

/** Where the views of the day begin and end in a zone at `now`: today's date, the starts of today and tomorrow, the end of the 7th day. */
export interface DayBounds {
  now: Date;
  today: string;
  startOfToday: Date;
  startOfTomorrow: Date;
  endOfWeek: Date;
}

export function dayBounds(now: Date, zone: string): DayBounds {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  return {
    now,
    today: today.toISODate()!,
    startOfToday: today.toJSDate(),
    startOfTomorrow: today.plus({ days: 1 }).toJSDate(),
    endOfWeek: today.plus({ days: 7 }).toJSDate(),
  };
}
