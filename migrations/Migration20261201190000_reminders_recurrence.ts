import { Migration } from '@mikro-orm/migrations';

export class Migration20261201190000_reminders_recurrence extends Migration {

  override name = 'Migration20261201190000_reminders_recurrence';

  override up(): void | Promise<void> {
    this.addSql(`create table "task_reminders" ("id" uuid not null default gen_random_uuid(), "task_id" uuid not null, "at" timestamptz(3) null, "before_minutes" int null, "fires_at" timestamptz(3) not null, "fired_at" timestamptz(3) null, "skipped" boolean not null default false, "created_at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`create index "task_reminders_task_id_index" on "task_reminders" ("task_id");`);
    this.addSql(`create index "task_reminders_due_index" on "task_reminders" ("fires_at") where fired_at is null;`);

    this.addSql(`alter table "tasks" add "recurrence" text null;`);

    this.addSql(`alter table "task_reminders" add constraint "task_reminders_task_id_foreign" foreign key ("task_id") references "tasks" ("id") on delete cascade;`);
    this.addSql(`alter table "task_reminders" add constraint "task_reminders_kind_check" check ((at is null) <> (before_minutes is null));`);
    this.addSql(`alter table "task_reminders" add constraint "task_reminders_before_minutes_check" check (before_minutes is null or (before_minutes >= 0 and before_minutes <= 525600));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "task_reminders" cascade;`);

    this.addSql(`alter table "tasks" drop column "recurrence";`);
  }

}
