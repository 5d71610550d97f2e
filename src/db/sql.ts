// Raw statements, every one of the server's: values bound as parameters, never written into the SQL.
import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import { AppError } from '../shared/errors.ts';

/**
 * Runs a statement whose values (`$1`, `$2`, …) travel as bind parameters beside it, and returns its
 * rows (in the EntityManager's transaction, if it is in one). An array travels as one array value
 * (`= any($1::uuid[])`). A bound value is typed by where it stands: in a select list it is text
 * unless cast (`select $1::uuid`). Not `em.execute`, which quotes each value into the SQL text one
 * character at a time: for a checkpoint of a thousand streaming replies (most of a megabyte of text)
 * that quoting cost more than the statement. It fails as MikroORM's own statements do (a unique
 * violation is a `UniqueConstraintViolationException`, and so on).
 */
export async function executeBound<Row = unknown>(em: EntityManager, text: string, parameters: unknown[]): Promise<Row[]> {
  try {
    return (await em.getKysely().executeQuery<Row>(CompiledQuery.raw(text, parameters))).rows;
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}

/** The values of a statement built piece by piece: `bind(value)` keeps a value and gives its placeholder (`$n`). */
export function boundValues(): { bind: (value: unknown) => string; values: unknown[] } {
  const values: unknown[] = [];
  return {
    values,
    bind: (value) => {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

/** True when PostgreSQL cancelled the statement for running past its statement_timeout. */
const isStatementTimeout = (error: unknown): boolean => {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++, current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: unknown }).code === '57014') return true;
  }
  return false;
};

/**
 * Runs `work` in a transaction whose statements PostgreSQL cancels after `timeoutMs`: for the reads
 * whose cost a user's data decides (search, exports). A cancelled one is UNAVAILABLE, with Retry-After.
 */
export async function withStatementTimeout<T>(em: EntityManager, timeoutMs: number, work: (em: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await em.transactional(async (tx) => {
      await executeBound(tx, "select set_config('statement_timeout', $1, true)", [`${timeoutMs}ms`]);
      return work(tx);
    });
  } catch (error) {
    if (!isStatementTimeout(error)) throw error;
    throw new AppError('UNAVAILABLE', 'That took the database too long; try again, or ask for less', undefined, { cause: error, retryAfterSeconds: 5 });
  }
}
