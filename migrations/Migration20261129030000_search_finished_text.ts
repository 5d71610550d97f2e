import { Migration } from '@mikro-orm/migrations';

export class Migration20261129030000_search_finished_text extends Migration {

  override name = 'Migration20261129030000_search_finished_text';

  override up(): void | Promise<void> {
    this.addSql(`drop index "messages_search_index";`);
    this.addSql(`create index "messages_search_index" on "messages" using gin (to_tsvector('english', "content")) where status <> 'streaming';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "messages_search_index";`);
    this.addSql(`create index "messages_search_index" on "messages" using gin (to_tsvector('english', "content"));`);
  }

}
