import { Migration } from '@mikro-orm/migrations';

export class Migration20261128232523_due_dates_and_time_zones extends Migration {

  override name = 'Migration20261128232523_due_dates_and_time_zones';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "timezone" varchar(64) not null default 'UTC';`);

    this.addSql(`alter table "tasks" add "due_on" date null;`);
    this.addSql(`alter table "tasks" add constraint "tasks_due_on_check" check (due_on is null or due_date is not null);`);
    // Until now every user was in UTC and a date without a time of day was stored as its UTC
    // midnight: those rows become calendar dates (their sort instant stays the same).
    this.addSql(`update "tasks" set "due_on" = ("due_date" at time zone 'UTC')::date where "due_date" = date_trunc('day', "due_date", 'UTC');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tasks" drop constraint "tasks_due_on_check";`);
    this.addSql(`alter table "tasks" drop column "due_on";`);

    this.addSql(`alter table "users" drop column "timezone";`);
  }

}
