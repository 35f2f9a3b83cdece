import { Migration } from '@mikro-orm/migrations';

/**
 * The metrics' daily rollup (MetricsRollup is its only writer): each sub-account's figures per
 * local day and how far they are rolled up (in which zone), and each agency's per day. Done tasks
 * by completion, so a callback completed long after its call re-rolls that day.
 */
export class Migration20261206100000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "metrics_days" ("sub_account_id" uuid not null references "sub_accounts" ("id") on delete cascade, "day" date not null, "agency_id" uuid not null, "figures" jsonb not null, constraint "metrics_days_pkey" primary key ("sub_account_id", "day"));`);
    this.addSql(`create index "metrics_days_agency_day_idx" on "metrics_days" ("agency_id", "day");`);
    this.addSql(`create table "metrics_rollups" ("sub_account_id" uuid not null references "sub_accounts" ("id") on delete cascade, "agency_id" uuid not null, "time_zone" text not null, "rolled_through" date not null, "rolled_at" timestamptz not null, constraint "metrics_rollups_pkey" primary key ("sub_account_id"));`);
    this.addSql(`create table "agency_metrics_days" ("agency_id" uuid not null references "agencies" ("id") on delete cascade, "day" date not null, "figures" jsonb not null, constraint "agency_metrics_days_pkey" primary key ("agency_id", "day"));`);
    this.addSql(`create index "tasks_done_completed_idx" on "tasks" ("completed_at") where "status" = 'done';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "tasks_done_completed_idx";`);
    this.addSql(`drop table "agency_metrics_days";`);
    this.addSql(`drop table "metrics_rollups";`);
    this.addSql(`drop table "metrics_days";`);
  }

}
