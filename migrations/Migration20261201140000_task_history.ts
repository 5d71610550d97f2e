import { Migration } from '@mikro-orm/migrations';

export class Migration20261201140000_task_history extends Migration {

  override name = 'Migration20261201140000_task_history';

  override up(): void | Promise<void> {
    this.addSql(`create table "task_history" ("id" uuid not null default gen_random_uuid(), "task_id" uuid not null, "list_id" uuid not null, "actor_id" uuid null, "channel" text not null, "action" text not null, "changes" jsonb not null, "snapshot" jsonb null, "conversation_id" uuid null, "undone_by" uuid null, "at" timestamptz(3) not null default now(), primary key ("id"));`);
    this.addSql(`create index "task_history_task_id_at_index" on "task_history" ("task_id", "at");`);
    this.addSql(`create index "task_history_list_id_at_index" on "task_history" ("list_id", "at");`);
    this.addSql(`create index "task_history_actor_id_at_index" on "task_history" ("actor_id", "at");`);

    this.addSql(`alter table "task_history" add constraint "task_history_list_id_foreign" foreign key ("list_id") references "lists" ("id") on delete cascade;`);
    this.addSql(`alter table "task_history" add constraint "task_history_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "task_history" add constraint "task_history_channel_check" check ("channel" in ('rest', 'socket', 'assistant', 'mcp', 'import', 'reminder', 'recurrence', 'undo'));`);
    this.addSql(`alter table "task_history" add constraint "task_history_action_check" check ("action" in ('created', 'updated', 'completed', 'reopened', 'deleted', 'restored', 'archived', 'unarchived', 'moved', 'labelled', 'commented', 'attached'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "task_history" cascade;`);
  }

}
