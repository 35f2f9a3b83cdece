import { Migration } from '@mikro-orm/migrations';

export class Migration20261202050000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "provisioning_runs" ("id" uuid not null, "agency_id" uuid not null, "idempotency_key" text not null, "request_digest" text not null, "snapshot_version_id" uuid not null, "concurrency" int not null, "total" int not null, "requested_by" text null, "status" text not null, "created_at" timestamptz not null, "completed_at" timestamptz null, constraint "provisioning_runs_pkey" primary key ("id"));`);
    this.addSql(`alter table "provisioning_runs" add constraint "provisioning_runs_agency_id_idempotency_key_unique" unique ("agency_id", "idempotency_key");`);

    this.addSql(`create table "provisioning_targets" ("run_id" uuid not null, "index" int not null, "label" text not null, "sub_account_id" uuid null, "new_sub_account" jsonb null, "custom_values" jsonb not null, "status" text not null, "reason" text null, "issues" jsonb not null, "conflicts" jsonb not null, "finished_at" timestamptz null, constraint "provisioning_targets_pkey" primary key ("run_id", "index"));`);
    this.addSql(`create index "provisioning_targets_sub_account_id_index" on "provisioning_targets" ("sub_account_id");`);

    this.addSql(`create table "applied_versions" ("id" uuid not null, "sub_account_id" uuid not null, "snapshot_version_id" uuid not null, "previous_version_id" uuid null, "run_id" uuid null, "applied_by" text null, "applied_at" timestamptz not null, constraint "applied_versions_pkey" primary key ("id"));`);
    this.addSql(`create index "applied_versions_sub_account_id_applied_at_index" on "applied_versions" ("sub_account_id", "applied_at");`);
    this.addSql(`create index "applied_versions_snapshot_version_id_index" on "applied_versions" ("snapshot_version_id");`);

    this.addSql(`alter table "provisioning_runs" add constraint "provisioning_runs_agency_id_foreign" foreign key ("agency_id") references "agencies" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "provisioning_runs" add constraint "provisioning_runs_snapshot_version_id_foreign" foreign key ("snapshot_version_id") references "snapshot_versions" ("id") on update cascade;`);

    this.addSql(`alter table "provisioning_targets" add constraint "provisioning_targets_run_id_foreign" foreign key ("run_id") references "provisioning_runs" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "provisioning_targets" add constraint "provisioning_targets_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "applied_versions" add constraint "applied_versions_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "applied_versions" add constraint "applied_versions_snapshot_version_id_foreign" foreign key ("snapshot_version_id") references "snapshot_versions" ("id") on update cascade;`);
    this.addSql(`alter table "applied_versions" add constraint "applied_versions_previous_version_id_foreign" foreign key ("previous_version_id") references "snapshot_versions" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "applied_versions" add constraint "applied_versions_run_id_foreign" foreign key ("run_id") references "provisioning_runs" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "provisionings" add column "local_edits" jsonb not null default '{}';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "provisioning_targets" drop constraint "provisioning_targets_run_id_foreign";`);

    this.addSql(`alter table "applied_versions" drop constraint "applied_versions_run_id_foreign";`);

    this.addSql(`drop table if exists "provisioning_runs" cascade;`);

    this.addSql(`drop table if exists "provisioning_targets" cascade;`);

    this.addSql(`drop table if exists "applied_versions" cascade;`);

    this.addSql(`alter table "provisionings" drop column "local_edits";`);
  }

}
