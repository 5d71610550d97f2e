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
