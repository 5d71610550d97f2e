import { Migration } from '@mikro-orm/migrations';

export class Migration20261201110000_due_date_range extends Migration {

  override name = 'Migration20261201110000_due_date_range';

  override up(): void | Promise<void> {
    // Rows stored before the check: a calendar date's instant (its sort key) is held within years
    // 1–9999; an instant outside them could never be read back, so it is cleared.
    this.addSql(`update "tasks" set "due_date" = greatest(least("due_date", '9999-12-31 23:59:59.999+00'::timestamptz), '0001-01-01 00:00:00+00'::timestamptz) where "due_on" is not null and ("due_date" < '0001-01-01 00:00:00+00'::timestamptz or "due_date" >= '10000-01-01 00:00:00+00'::timestamptz);`);
    this.addSql(`update "tasks" set "due_date" = null where "due_on" is null and ("due_date" < '0001-01-01 00:00:00+00'::timestamptz or "due_date" >= '10000-01-01 00:00:00+00'::timestamptz);`);
    this.addSql(`alter table "tasks" add constraint "tasks_due_date_check" check (due_date >= '0001-01-01 00:00:00+00'::timestamptz and due_date < '10000-01-01 00:00:00+00'::timestamptz);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tasks" drop constraint "tasks_due_date_check";`);
  }

}
