import { Migration } from '@mikro-orm/migrations';

export class Migration20261128201752_limits_and_sessions extends Migration {

  override name = 'Migration20261128201752_limits_and_sessions';

  override up(): void | Promise<void> {
    this.addSql(`create table "rate_limit_windows" ("key" varchar(320) not null, "hits" int not null, "reset_at" timestamptz(3) not null, primary key ("key"));`);
    this.addSql(`create index "rate_limit_windows_reset_at_index" on "rate_limit_windows" ("reset_at");`);

    this.addSql(`create index "refresh_tokens_revoked_at_index" on "refresh_tokens" ("revoked_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "rate_limit_windows" cascade;`);

    this.addSql(`drop index "refresh_tokens_revoked_at_index";`);
  }

}
