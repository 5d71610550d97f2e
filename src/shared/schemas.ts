// Small zod building blocks shared by every domain's schemas.
import { z } from 'zod';

export const uuid = z.uuid({ error: 'must be a UUID' });

/** An ISO 8601 date or date-time; a date-time without a zone is read as UTC. */
export const isoDate = z
  .string()
  .trim()
  .refine((value) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.test(value) && !Number.isNaN(Date.parse(value)), {
    error: 'must be an ISO 8601 date such as 2030-01-31 or 2030-01-31T17:00:00Z',
  })
  .transform((value) => new Date(/[T ]\d/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? `${value}Z` : value));

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
