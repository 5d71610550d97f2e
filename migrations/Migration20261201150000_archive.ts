import { Migration } from '@mikro-orm/migrations';

export class Migration20261201150000_archive extends Migration {

  override name = 'Migration20261201150000_archive';

  override up(): void | Promise<void> {
    this.addSql(`alter table "tasks" add "archived_at" timestamptz(3) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tasks" drop column "archived_at";`);
  }

}
