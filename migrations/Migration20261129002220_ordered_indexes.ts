import { Migration } from '@mikro-orm/migrations';

export class Migration20261129002220_ordered_indexes extends Migration {

  override name = 'Migration20261129002220_ordered_indexes';

  override up(): void | Promise<void> {
    this.addSql(`drop index "tasks_user_id_created_at_index";`);
    this.addSql(`create index "tasks_user_id_created_at_number_index" on "tasks" ("user_id", "created_at", "number");`);

    this.addSql(`drop index "messages_conversation_id_created_at_index";`);
    this.addSql(`create index "messages_conversation_id_created_at_id_index" on "messages" ("conversation_id", "created_at", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "messages_conversation_id_created_at_id_index";`);
    this.addSql(`create index "messages_conversation_id_created_at_index" on "messages" ("conversation_id", "created_at");`);

    this.addSql(`drop index "tasks_user_id_created_at_number_index";`);
    this.addSql(`create index "tasks_user_id_created_at_index" on "tasks" ("user_id", "created_at");`);
  }

}
