import { Migration } from '@mikro-orm/migrations';

export class Migration20261129003204_awaiting_approval_index extends Migration {

  override name = 'Migration20261129003204_awaiting_approval_index';

  override up(): void | Promise<void> {
    this.addSql(`create index "messages_awaiting_approval_index" on "messages" ("conversation_id", "created_at") where status = 'awaiting_approval';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "messages_awaiting_approval_index";`);
  }

}
