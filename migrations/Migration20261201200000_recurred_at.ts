import { Migration } from '@mikro-orm/migrations';

export class Migration20261201200000_recurred_at extends Migration {

  override name = 'Migration20261201200000_recurred_at';

  override up(): void | Promise<void> {
    this.addSql(`alter table "tasks" add "recurred_at" timestamptz(3) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tasks" drop column "recurred_at";`);
  }

}
