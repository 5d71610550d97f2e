import { Migration } from '@mikro-orm/migrations';

export class Migration20261123143819_message_reply_to extends Migration {

  override name = 'Migration20261123143819_message_reply_to';

  override up(): void | Promise<void> {
    this.addSql(`alter table "messages" add "reply_to" uuid null;`);
    this.addSql(`alter table "messages" add constraint "messages_reply_to_unique" unique ("reply_to");`);
    this.addSql(`alter table "messages" add constraint "messages_reply_to_check" check (reply_to is null or role = 'assistant');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "messages" drop constraint "messages_reply_to_unique";`);
    this.addSql(`alter table "messages" drop constraint "messages_reply_to_check";`);
    this.addSql(`alter table "messages" drop column "reply_to";`);
  }

}
