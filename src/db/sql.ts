// Small pieces of SQL shared by the raw queries.
import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';

/**
 * A list of uuids as one `uuid[]` value for `em.execute` (`= any(?::uuid[])`, `unnest(?::uuid[])`): one
 * literal in the statement however many ids (MikroORM writes parameters into the SQL text), and `{}`
 * when there are none. `executeBound` takes the array itself.
 */
export const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/**
 * Runs a statement whose values (`$1`, `$2`, …) travel as bind parameters beside it. `em.execute`
 * quotes each value into the SQL text one character at a time: for the statements of streaming
 * replies, which carry their text (a checkpoint of a thousand streams is most of a megabyte) or the
 * ids of every streaming conversation once a second, that quoting cost more than the statement.
 */
export async function executeBound(em: EntityManager, text: string, parameters: unknown[]): Promise<void> {
  await em.getKysely().executeQuery(CompiledQuery.raw(text, parameters));
}
