import { Migration } from '@mikro-orm/migrations';

export class Migration20261129000703_approvals extends Migration {

  override name = 'Migration20261129000703_approvals';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "confirm_destructive" boolean not null default false;`);

    this.addSql(`alter table "messages" drop constraint "messages_status_check";`);
    this.addSql(`alter table "messages" add "last_seq" int null;`);
    this.addSql(`alter table "messages" add constraint "messages_status_check" check ("status" in ('complete', 'streaming', 'stopped', 'error', 'interrupted', 'awaiting_approval'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "messages" drop constraint "messages_status_check";`);
    this.addSql(`alter table "messages" drop column "last_seq";`);
    this.addSql(`alter table "messages" add constraint "messages_status_check" check ("status" in ('complete', 'streaming', 'stopped', 'error', 'interrupted'));`);

    this.addSql(`alter table "users" drop column "confirm_destructive";`);
  }

}
