import { Migration } from '@mikro-orm/migrations';

export class Migration20261128205257_personal_access_tokens extends Migration {

  override name = 'Migration20261128205257_personal_access_tokens';

  override up(): void | Promise<void> {
    this.addSql(`create table "personal_access_tokens" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "name" varchar(100) not null, "token_hash" varchar(64) not null, "created_at" timestamptz(3) not null default now(), "last_used_at" timestamptz(3) null, "expires_at" timestamptz(3) null, "revoked_at" timestamptz(3) null, primary key ("id"));`);
    this.addSql(`create index "personal_access_tokens_user_id_index" on "personal_access_tokens" ("user_id");`);
    this.addSql(`alter table "personal_access_tokens" add constraint "personal_access_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "personal_access_tokens" add constraint "personal_access_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "personal_access_tokens" cascade;`);
  }

}
