import { Migration } from '@mikro-orm/migrations';

export class Migration20261123143124 extends Migration {

  override name = 'Migration20261123143124';

  override up(): void | Promise<void> {
    this.addSql(`create table "users" ("id" uuid not null default gen_random_uuid(), "email" varchar(255) not null, "name" varchar(255) null, "password_hash" varchar(255) not null, "task_seq" int not null default 0, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);

    this.addSql(`create table "tasks" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "number" int not null, "title" varchar(255) not null, "description" text null, "status" text not null default 'pending', "priority" text not null default 'medium', "due_date" timestamptz(3) null, "completed_at" timestamptz(3) null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`create index "tasks_user_id_created_at_index" on "tasks" ("user_id", "created_at");`);
    this.addSql(`create index "tasks_user_id_status_index" on "tasks" ("user_id", "status");`);
    this.addSql(`create index "tasks_user_id_due_date_index" on "tasks" ("user_id", "due_date");`);
    this.addSql(`alter table "tasks" add constraint "tasks_user_id_number_unique" unique ("user_id", "number");`);
    this.addSql(`alter table "tasks" add constraint "tasks_completed_at_check" check ((status = 'completed') = (completed_at is not null));`);
    this.addSql(`alter table "tasks" add constraint "tasks_title_check" check (length(btrim(title)) > 0);`);
    this.addSql(`alter table "tasks" add constraint "tasks_description_check" check (description is null or length(description) <= 1000);`);
    this.addSql(`alter table "tasks" add constraint "tasks_status_check" check ("status" in ('pending', 'in_progress', 'completed'));`);
    this.addSql(`alter table "tasks" add constraint "tasks_priority_check" check ("priority" in ('low', 'medium', 'high', 'urgent'));`);

    this.addSql(`create table "refresh_tokens" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "family_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz(3) not null, "used_at" timestamptz(3) null, "revoked_at" timestamptz(3) null, "created_at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`create index "refresh_tokens_user_id_index" on "refresh_tokens" ("user_id");`);
    this.addSql(`create index "refresh_tokens_family_id_index" on "refresh_tokens" ("family_id");`);
    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "conversations" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "title" varchar(255) not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "deleted_at" timestamptz(3) null, primary key ("id"));`);
    this.addSql(`create index "conversations_user_id_updated_at_index" on "conversations" ("user_id", "updated_at");`);
    this.addSql(`alter table "conversations" add constraint "conversations_title_check" check (length(btrim(title)) > 0);`);

    this.addSql(`create table "messages" ("id" uuid not null default gen_random_uuid(), "conversation_id" uuid not null, "user_id" uuid not null, "role" text not null, "content" text not null default '', "status" text not null default 'complete', "tool_calls" jsonb null, "tool_results" jsonb null, "client_id" uuid null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`create index "messages_conversation_id_created_at_index" on "messages" ("conversation_id", "created_at");`);
    this.addSql(`create index "messages_status_index" on "messages" ("status") where status = 'streaming';`);
    this.addSql(`alter table "messages" add constraint "messages_user_id_client_id_unique" unique ("user_id", "client_id");`);
    this.addSql(`alter table "messages" add constraint "messages_role_check" check ("role" in ('user', 'assistant'));`);
    this.addSql(`alter table "messages" add constraint "messages_status_check" check ("status" in ('complete', 'streaming', 'stopped', 'error', 'interrupted'));`);

    this.addSql(`alter table "tasks" add constraint "tasks_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "conversations" add constraint "conversations_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "messages" add constraint "messages_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on delete cascade;`);
    this.addSql(`alter table "messages" add constraint "messages_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }

}
