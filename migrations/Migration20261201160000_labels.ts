import { Migration } from '@mikro-orm/migrations';

export class Migration20261201160000_labels extends Migration {

  override name = 'Migration20261201160000_labels';

  override up(): void | Promise<void> {
    this.addSql(`create table "labels" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "name" varchar(50) not null, "color" varchar(7) not null, "created_at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`create unique index "labels_user_id_name_unique" on "labels" ("user_id", lower("name"));`);

    this.addSql(`create table "task_labels" ("task_id" uuid not null, "label_id" uuid not null, primary key ("task_id", "label_id"));`);
    this.addSql(`create index "task_labels_label_id_index" on "task_labels" ("label_id");`);

    this.addSql(`alter table "labels" add constraint "labels_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "labels" add constraint "labels_name_check" check (length(btrim(name)) > 0);`);

    this.addSql(`alter table "task_labels" add constraint "task_labels_task_id_foreign" foreign key ("task_id") references "tasks" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "task_labels" add constraint "task_labels_label_id_foreign" foreign key ("label_id") references "labels" ("id") on update cascade on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "task_labels" drop constraint "task_labels_label_id_foreign";`);

    this.addSql(`drop table if exists "labels" cascade;`);
    this.addSql(`drop table if exists "task_labels" cascade;`);
  }

}
