import { Migration } from '@mikro-orm/migrations';

// The table @socket.io/postgres-adapter uses for payloads too large for a NOTIFY.
// It is not an entity: schemaGenerator.skipTables keeps it out of schema diffs.
export class Migration20261123143422_socket_io_attachments extends Migration {

  override name = 'Migration20261123143422_socket_io_attachments';

  override up(): void | Promise<void> {
    this.addSql(`create table if not exists "socket_io_attachments" ("id" bigserial unique, "created_at" timestamptz default now(), "payload" bytea);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "socket_io_attachments";`);
  }

}
