import { Migration } from '@mikro-orm/migrations';

/**
 * The `notify` and `webhook` steps: who the sub-account's owner is (where `to: owner` goes), the
 * secret its webhooks are signed with (made on first use), and one `notifications` row per step of
 * a run: the intent stored before anything is sent, so a retried activity never notifies twice.
 * Only the worker writes notifications, with plain SQL (no entity).
 */
export class Migration20261202020000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "sub_accounts" add column "owner_email" text null, add column "owner_phone" text null, add column "webhook_signing_secret" text null;`);

    this.addSql(`create table "notifications" ("id" uuid not null, "sub_account_id" uuid not null, "run_id" text not null, "step_id" text not null, "channel" text not null, "recipient" text not null, "subject" text null, "body" text not null, "status" text not null default 'pending', "detail" text null, "attempts" int not null default 0, "response_status" int null, "latency_ms" int null, "created_at" timestamptz not null default now(), "sent_at" timestamptz null, constraint "notifications_pkey" primary key ("id"), constraint "notifications_status_check" check ("status" in ('pending', 'sent', 'failed')), constraint "notifications_channel_check" check ("channel" in ('sms', 'email', 'webhook')));`);
    // One notification per step of a run, however often the activity that sends it is retried.
    this.addSql(`alter table "notifications" add constraint "notifications_run_id_step_id_unique" unique ("run_id", "step_id");`);
    this.addSql(`create index "notifications_sub_account_id_created_at_index" on "notifications" ("sub_account_id", "created_at" desc);`);
    this.addSql(`alter table "notifications" add constraint "notifications_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notifications" cascade;`);
    this.addSql(`alter table "sub_accounts" drop column "owner_email", drop column "owner_phone", drop column "webhook_signing_secret";`);
  }

}
