import { Migration } from '@mikro-orm/migrations';

export class Migration20261128235010_search extends Migration {

  override name = 'Migration20261128235010_search';

  override up(): void | Promise<void> {
    this.addSql(`create index "conversations_search_index" on "conversations" using gin (to_tsvector('english', "title"));`);

    this.addSql(`create index "messages_search_index" on "messages" using gin (to_tsvector('english', "content"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "conversations_search_index";`);

    this.addSql(`drop index "messages_search_index";`);
  }

}
