import { Migration } from '@mikro-orm/migrations';

export class Migration20261201180000_comments_attachments extends Migration {

  override name = 'Migration20261201180000_comments_attachments';

  override up(): void | Promise<void> {
    this.addSql(`create table "file_chunks" ("file_id" uuid not null, "seq" int not null, "data" bytea not null, primary key ("file_id", "seq"));`);

    this.addSql(`create table "task_attachments" ("id" uuid not null default gen_random_uuid(), "task_id" uuid not null, "uploaded_by_id" uuid not null, "filename" varchar(255) not null, "content_type" varchar(100) not null, "size" bigint not null, "created_at" timestamptz(3) not null default now(), "stored_at" timestamptz(3) null, "deleted_at" timestamptz(3) null, "deleted_with" uuid null, primary key ("id"));`);
    // Files are mostly compressed already (images, PDFs): stored as they come, not compressed again.
    this.addSql(`alter table "file_chunks" alter column "data" set storage external;`);

    this.addSql(`create index "task_attachments_task_id_created_at_index" on "task_attachments" ("task_id", "created_at");`);
    this.addSql(`create index "task_attachments_uploaded_by_id_index" on "task_attachments" ("uploaded_by_id");`);
    this.addSql(`create index "task_attachments_deleted_with_index" on "task_attachments" ("deleted_with");`);

    this.addSql(`create table "task_comments" ("id" uuid not null default gen_random_uuid(), "task_id" uuid not null, "author_id" uuid null, "body" text not null, "created_at" timestamptz(3) not null default now(), "edited_at" timestamptz(3) null, primary key ("id"));`);
    this.addSql(`create index "task_comments_task_id_created_at_index" on "task_comments" ("task_id", "created_at");`);

    this.addSql(`alter table "task_attachments" add constraint "task_attachments_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "task_comments" add constraint "task_comments_task_id_foreign" foreign key ("task_id") references "tasks" ("id") on delete cascade;`);
    this.addSql(`alter table "task_comments" add constraint "task_comments_author_id_foreign" foreign key ("author_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "task_comments" add constraint "task_comments_body_check" check (length(btrim(body)) > 0 and length(body) <= 4000);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "file_chunks" cascade;`);
    this.addSql(`drop table if exists "task_attachments" cascade;`);
    this.addSql(`drop table if exists "task_comments" cascade;`);
  }

}
