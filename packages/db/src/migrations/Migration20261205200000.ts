import { Migration } from '@mikro-orm/migrations';

export class Migration20261205200000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "conversation_reads" ("contact_id" uuid not null, "sub_account_id" uuid not null, "read_at" timestamptz not null, constraint "conversation_reads_pkey" primary key ("contact_id"));`);

    this.addSql(`alter table "conversation_reads" add constraint "conversation_reads_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversation_reads" add constraint "conversation_reads_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);

    this.addSql(`create index "calls_contact_id_started_at_index" on "calls" ("contact_id", "started_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "conversation_reads" cascade;`);

    this.addSql(`drop index "calls_contact_id_started_at_index";`);
  }

}
