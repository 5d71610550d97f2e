// Raw statements with bound parameters.
import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';

/**
 * Runs a statement whose values (`$1`, `$2`, …) travel as bind parameters beside it, and returns its
 * rows; an array travels as one array value (`= any($1::uuid[])`). `em.execute` quotes each value
 * into the SQL text one character at a time: for the statements of streaming replies, which carry
 * their text (a checkpoint of a thousand streams is most of a megabyte) or the ids of every
 * streaming conversation once a second, that quoting cost more than the statement.
 */
export async function executeBound<Row = unknown>(em: EntityManager, text: string, parameters: unknown[]): Promise<Row[]> {
  return (await em.getKysely().executeQuery<Row>(CompiledQuery.raw(text, parameters))).rows;
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
