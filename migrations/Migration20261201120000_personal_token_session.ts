import { Migration } from '@mikro-orm/migrations';

export class Migration20261201120000_personal_token_session extends Migration {

  override name = 'Migration20261201120000_personal_token_session';

  override up(): void | Promise<void> {
    // Tokens minted before this have no session on record: a replay cannot revoke them (revoke them by hand).
    this.addSql(`alter table "personal_access_tokens" add "session_id" uuid null;`);
    this.addSql(`create index "personal_access_tokens_session_id_index" on "personal_access_tokens" ("session_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "personal_access_tokens_session_id_index";`);
    this.addSql(`alter table "personal_access_tokens" drop column "session_id";`);
  }

}
