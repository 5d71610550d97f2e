import { Migration } from '@mikro-orm/migrations';

export class Migration20261201130000_shared_lists extends Migration {

  override name = 'Migration20261201130000_shared_lists';

  override up(): void | Promise<void> {
    this.addSql(`create table "lists" ("id" uuid not null default gen_random_uuid(), "owner_id" uuid not null, "name" varchar(100) not null, "color" varchar(7) null, "personal" boolean not null default false, "task_seq" int not null default 0, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`create index "lists_owner_id_index" on "lists" ("owner_id");`);
    this.addSql(`create unique index "lists_owner_personal_unique" on "lists" ("owner_id") where personal;`);
    this.addSql(`alter table "lists" add constraint "lists_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "lists" add constraint "lists_name_check" check (length(btrim(name)) > 0);`);

    this.addSql(`create table "list_members" ("list_id" uuid not null, "user_id" uuid not null, "role" text not null, "joined_at" timestamptz(3) not null default now(), primary key ("list_id", "user_id"));`);
    this.addSql(`create index "list_members_user_id_index" on "list_members" ("user_id");`);
    this.addSql(`alter table "list_members" add constraint "list_members_list_id_foreign" foreign key ("list_id") references "lists" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "list_members" add constraint "list_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "list_members" add constraint "list_members_role_check" check ("role" in ('owner', 'editor', 'viewer'));`);

    this.addSql(`create table "list_invitations" ("id" uuid not null default gen_random_uuid(), "list_id" uuid not null, "email" varchar(255) not null, "role" text not null, "invited_by_id" uuid not null, "created_at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`create index "list_invitations_email_index" on "list_invitations" ("email");`);
    this.addSql(`alter table "list_invitations" add constraint "list_invitations_list_id_email_unique" unique ("list_id", "email");`);
    this.addSql(`alter table "list_invitations" add constraint "list_invitations_list_id_foreign" foreign key ("list_id") references "lists" ("id") on delete cascade;`);
    this.addSql(`alter table "list_invitations" add constraint "list_invitations_invited_by_id_foreign" foreign key ("invited_by_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "list_invitations" add constraint "list_invitations_role_check" check ("role" in ('editor', 'viewer'));`);

    // Every user gets a personal list, owned, numbered on from the user's counter; their tasks move there, made and last changed by them.
    this.addSql(`insert into "lists" ("owner_id", "name", "personal", "task_seq") select "id", 'My tasks', true, "task_seq" from "users";`);
    this.addSql(`insert into "list_members" ("list_id", "user_id", "role") select "id", "owner_id", 'owner' from "lists";`);
    this.addSql(`alter table "tasks" add "list_id" uuid null, add "created_by_id" uuid null, add "updated_by_id" uuid null, add "assignee_id" uuid null;`);
    this.addSql(`update "tasks" t set "list_id" = l."id", "created_by_id" = t."user_id", "updated_by_id" = t."user_id" from "lists" l where l."owner_id" = t."user_id" and l."personal";`);
    this.addSql(`alter table "tasks" alter column "list_id" set not null;`);
    this.addSql(`alter table "tasks" drop constraint "tasks_user_id_foreign";`);
    this.addSql(`drop index "tasks_user_id_created_at_number_index";`);
    this.addSql(`drop index "tasks_user_id_due_date_index";`);
    this.addSql(`drop index "tasks_user_id_status_index";`);
    this.addSql(`alter table "tasks" drop constraint "tasks_user_id_number_unique";`);
    this.addSql(`alter table "tasks" drop column "user_id";`);
    this.addSql(`alter table "users" drop column "task_seq";`);

    this.addSql(`alter table "tasks" add constraint "tasks_list_id_foreign" foreign key ("list_id") references "lists" ("id") on delete cascade;`);
    this.addSql(`alter table "tasks" add constraint "tasks_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "tasks" add constraint "tasks_updated_by_id_foreign" foreign key ("updated_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "tasks" add constraint "tasks_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on delete set null;`);
    this.addSql(`create index "tasks_list_id_created_at_number_index" on "tasks" ("list_id", "created_at", "number");`);
    this.addSql(`create index "tasks_list_id_status_index" on "tasks" ("list_id", "status");`);
    this.addSql(`create index "tasks_list_id_due_date_index" on "tasks" ("list_id", "due_date");`);
    this.addSql(`create index "tasks_created_by_index" on "tasks" ("created_by_id");`);
    this.addSql(`create index "tasks_assignee_id_index" on "tasks" ("assignee_id");`);
    this.addSql(`alter table "tasks" add constraint "tasks_list_id_number_unique" unique ("list_id", "number");`);
  }

  override down(): void | Promise<void> {
    // Back to one list per user: tasks of shared lists go to their list's owner, numbered on from there.
    this.addSql(`alter table "users" add "task_seq" int not null default 0;`);
    this.addSql(`alter table "tasks" add "user_id" uuid null;`);
    this.addSql(`update "tasks" t set "user_id" = l."owner_id" from "lists" l where l."id" = t."list_id";`);
    this.addSql(`delete from "tasks" t using "lists" l where l."id" = t."list_id" and not l."personal";`);
    this.addSql(`update "users" u set "task_seq" = l."task_seq" from "lists" l where l."owner_id" = u."id" and l."personal";`);
    this.addSql(`alter table "tasks" alter column "user_id" set not null;`);
    this.addSql(`alter table "tasks" drop constraint "tasks_list_id_number_unique";`);
    this.addSql(`alter table "tasks" drop column "list_id", drop column "created_by_id", drop column "updated_by_id", drop column "assignee_id";`);
    this.addSql(`alter table "tasks" add constraint "tasks_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`create index "tasks_user_id_created_at_number_index" on "tasks" ("user_id", "created_at", "number");`);
    this.addSql(`create index "tasks_user_id_due_date_index" on "tasks" ("user_id", "due_date");`);
    this.addSql(`create index "tasks_user_id_status_index" on "tasks" ("user_id", "status");`);
    this.addSql(`alter table "tasks" add constraint "tasks_user_id_number_unique" unique ("user_id", "number");`);
    this.addSql(`drop table if exists "list_invitations" cascade;`);
    this.addSql(`drop table if exists "list_members" cascade;`);
    this.addSql(`drop table if exists "lists" cascade;`);
  }

}
