import { Migration } from '@mikro-orm/migrations';

export class Migration20261123152633_conversation_reply_lease extends Migration {

  override name = 'Migration20261123152633_conversation_reply_lease';

  override up(): void | Promise<void> {
    this.addSql(`alter table "conversations" add "reply_owner" varchar(64) null, add "reply_lease_until" timestamptz(3) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "conversations" drop column "reply_owner", drop column "reply_lease_until";`);
  }

}
