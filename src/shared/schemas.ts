// Small zod building blocks shared by every domain's schemas.
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { DueDate } from './dates.ts';

export const uuid = z.uuid({ error: 'must be a UUID' });

/** A user as others see them: id and display name. */
export const person = z.object({ id: z.uuid(), name: z.string() });
export type Person = z.infer<typeof person>;

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A real calendar date (and time of day) in years 1–9999: no February 30th, no hour 24, no year 0. */
function isRealDate(value: string): boolean {
  const match = isoDatePattern.exec(value);
  if (!match) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map((part) => Number(part ?? 0)) as number[];
  const daysInMonth = new Date(Date.UTC(2000, month!, 0)).getUTCDate() - (month === 2 && !isLeapYear(year!) ? 1 : 0);
  return year! >= 1 && month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour! < 24 && minute! < 60 && second! < 60;
}

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * A due date or bound in ISO 8601: a calendar date (2030-01-31), a date-time with an offset (an
 * instant), or a date-time without one (read later in the user's zone).
 */
export const isoDate = z
  .string()
  .trim()
  .refine(isRealDate, { error: 'must be a real ISO 8601 date in years 1–9999, such as 2030-01-31 or 2030-01-31T17:00:00Z' })
  .meta({
    pattern: isoDatePattern.source,
    description:
      "ISO 8601 calendar date (2030-01-31), instant (2030-01-31T17:00:00Z, 2030-01-31T09:00:00-08:00) or local date-time read in the user's zone (2030-01-31T17:00)",
  })
  .transform((value): DueDate => {
    if (!/[T ]\d/i.test(value)) return { date: value };
    const text = `${value.slice(0, 10)}T${value.slice(11)}`.toUpperCase();
    return /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? { instant: DateTime.fromISO(text).toJSDate() } : { local: text };
  });

/** A query-string number within bounds. */
export const queryInt = (min: number, max: number, fallback: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(min).max(max).default(fallback);

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

/** Turns zod issues into the `details` of a VALIDATION_ERROR, each naming its field. */
export function issueDetails(issues: readonly { path: readonly PropertyKey[]; message: string }[], root = 'payload') {
  return issues.map((issue) => ({ field: issue.path.map(String).join('.') || root, message: issue.message }));
}

/** Untrusted JSON deeper than this is refused before anything walks it (a top-level object is level 1). */
export const maxInputDepth = 64;

const unstorableText = (text: string) => text.includes('\0') || !text.isWellFormed();

/**
 * The first problem of untrusted input that no schema should meet: nesting deeper than
 * `maxInputDepth`, a NUL character (PostgreSQL's text refuses it) or a lone surrogate (not Unicode)
 * in any value or key. Checked on every request and socket payload before its schema, so each is a
 * VALIDATION_ERROR naming the field (a dotted path; `root` for the whole input). The walk keeps its
 * own stack: no input, however deep, can exhaust the process's.
 */
export function inputProblem(value: unknown, root = 'payload'): { field: string; message: string } | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const field = next.path || root;
    if (typeof next.value === 'string') {
      if (unstorableText(next.value)) return { field, message: unstorableTextMessage };
      continue;
    }
    if (typeof next.value !== 'object' || next.value === null || ArrayBuffer.isView(next.value)) continue;
    if (next.depth >= maxInputDepth) return { field, message: `must not be nested deeper than ${maxInputDepth} levels` };
    const entries = Object.entries(next.value);
    // Last pushed, first walked: in reverse, so the first problem in document order is the one named.
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, inner] = entries[index]!;
      if (unstorableText(key)) return { field, message: unstorableTextMessage };
      pending.push({ value: inner, path: next.path ? `${next.path}.${key}` : key, depth: next.depth + 1 });
    }
  }
  return undefined;
}

export const unstorableTextMessage = 'must not contain NUL characters or lone surrogates';
