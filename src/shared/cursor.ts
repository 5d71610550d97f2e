// Opaque pagination cursors: a JSON array of the sort key parts, base64url-encoded.
import { AppError } from './errors.ts';

export const encodeCursor = (parts: readonly (string | number | null)[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

/** The parts of a cursor, or a VALIDATION_ERROR naming `cursor` when it is not one `valid` accepts. */
export function decodeCursor(cursor: string, valid: (parts: unknown[]) => boolean, hint: string): unknown[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && valid(parts)) return parts;
  } catch {
    // reported below
  }
  throw new AppError('VALIDATION_ERROR', 'Invalid cursor', [{ field: 'cursor', message: hint }]);
}

/** What a cursor part may be, checked before it reaches SQL: a forged one is a 400, never a failed cast. */
export const cursorPart = {
  timestamp: (value: unknown): value is string =>
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(value) &&
    Number(value.slice(0, 4)) >= 1 &&
    !Number.isNaN(Date.parse(value)),
  uuid: (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
  int: (value: unknown, min: number, max: number): value is number => Number.isInteger(value) && (value as number) >= min && (value as number) <= max,
};
