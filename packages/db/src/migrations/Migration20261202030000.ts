import { Migration } from '@mikro-orm/migrations';

/**
 * The daily cap of automated texts: one counter per sub-account and local day, bumped under its
 * row lock so concurrent runs can't all pass the cap, and one reservation per send intent so a
 * retried step is counted once.
 */
export class Migration20261202030000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "automated_text_days" ("sub_account_id" uuid not null references "sub_accounts" ("id") on update cascade on delete cascade, "day" date not null, "texts" int not null, constraint "automated_text_days_pkey" primary key ("sub_account_id", "day"));`);
    this.addSql(`create table "automated_text_reservations" ("intent_id" text not null, "sub_account_id" uuid not null references "sub_accounts" ("id") on update cascade on delete cascade, "day" date not null, "created_at" timestamptz not null default now(), constraint "automated_text_reservations_pkey" primary key ("intent_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "automated_text_reservations";`);
    this.addSql(`drop table if exists "automated_text_days";`);
  }

}
