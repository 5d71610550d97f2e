import { Migration } from '@mikro-orm/migrations';

export class Migration20261201210000_reply_drafts extends Migration {

  override name = 'Migration20261201210000_reply_drafts';

  override up(): void | Promise<void> {
    // A streaming reply's checkpoints go to `draft`, which no index reads, and pages keep a fifth free
    // for their new row versions: every checkpoint can be a HOT update (BENCHMARKS.md, issue #35).
    this.addSql(`alter table "messages" add "draft" text null;`);
    this.addSql(`alter table "messages" set (fillfactor = 80);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`update "messages" set "content" = coalesce("draft", "content") where "draft" is not null;`);
    this.addSql(`alter table "messages" reset (fillfactor);`);
    this.addSql(`alter table "messages" drop column "draft";`);
  }

}
