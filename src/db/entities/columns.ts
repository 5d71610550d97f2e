// Columns every table has in the same form.
import { randomUUID } from 'node:crypto';
import { p } from '@mikro-orm/core';

/** A uuid key: made by PostgreSQL for raw inserts, by us for entities (so it is known before the flush). */
export const uuidKey = () =>
  p
    .uuid()
    .primary()
    .defaultRaw('gen_random_uuid()')
    .onCreate(() => randomUUID());

/** When the row was made (millisecond precision, so cursors built from it are exact). */
export const createdAt = () =>
  p
    .datetime(3)
    .defaultRaw('now()')
    .onCreate(() => new Date());

/** When the row last changed, kept by the ORM on every flush that changes it. */
export const updatedAt = () =>
  p
    .datetime(3)
    .defaultRaw('now()')
    .onCreate(() => new Date())
    .onUpdate(() => new Date());
