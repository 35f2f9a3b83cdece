import { Migration } from '@mikro-orm/migrations';

/**
 * A sub-account's block list (spam numbers: their missed calls get no text) and its text-back pause
 * (a downtime window in which missed calls are recorded as skipped, "paused"). The control plane
 * writes both; the worker reads them with plain SQL, so these names are part of its contract.
 */
export class Migration20261202010000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "blocked_numbers" ("sub_account_id" uuid not null, "e164" text not null, "reason" text null, "created_at" timestamptz not null default now(), constraint "blocked_numbers_pkey" primary key ("sub_account_id", "e164"));`);
    this.addSql(`alter table "blocked_numbers" add constraint "blocked_numbers_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sub_accounts" add column "automations_paused_from" timestamptz null, add column "automations_paused_until" timestamptz null, add column "automations_paused_reason" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sub_accounts" drop column "automations_paused_from", drop column "automations_paused_until", drop column "automations_paused_reason";`);
    this.addSql(`drop table if exists "blocked_numbers" cascade;`);
  }

}
