// Small pieces of SQL shared by the raw queries.

/**
 * A list of uuids as one `uuid[]` value (`= any(?::uuid[])`, `unnest(?::uuid[])`): one literal in the
 * statement however many ids (MikroORM writes parameters into the SQL text), and `{}` when there are none.
 */
export const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;
