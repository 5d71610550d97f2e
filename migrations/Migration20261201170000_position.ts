import { Migration } from '@mikro-orm/migrations';

export class Migration20261201170000_position extends Migration {

  override name = 'Migration20261201170000_position';

  override up(): void | Promise<void> {
    this.addSql(`alter table "tasks" add "position" text null;`);
    this.addSql(`create unique index "tasks_list_id_position_unique" on "tasks" ("list_id", "position" collate "C") where position is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "tasks_list_id_position_unique";`);
    this.addSql(`alter table "tasks" drop column "position";`);
  }

}
