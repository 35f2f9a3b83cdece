import { Migration } from '@mikro-orm/migrations';

/**
 * Automation runs: what the interpreter did for each contact (runs and their steps), and the tasks
 * its steps create. Only the worker writes these tables, with plain SQL (no entities); run ids are
 * deterministic (given by the workflow), so a retried activity finds the same row.
 */
export class Migration20261202000000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "automation_runs" ("id" text not null, "sub_account_id" uuid not null, "contact_id" uuid null, "workflow_key" text not null, "snapshot_slug" text not null, "snapshot_version" int not null, "trigger_type" text not null, "trigger_ref" text null, "temporal_workflow_id" text not null, "parent_run_id" text null, "status" text not null default 'running', "current_step" text null, "reason" text null, "started_at" timestamptz not null, "updated_at" timestamptz not null, "ended_at" timestamptz null, constraint "automation_runs_pkey" primary key ("id"), constraint "automation_runs_status_check" check ("status" in ('running', 'completed', 'stopped', 'excluded', 'failed')));`);
    // A contact's runs, newest first.
    this.addSql(`create index "automation_runs_sub_account_id_contact_id_started_at_index" on "automation_runs" ("sub_account_id", "contact_id", "started_at" desc);`);
    this.addSql(`alter table "automation_runs" add constraint "automation_runs_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "automation_runs" add constraint "automation_runs_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete set null;`);

    this.addSql(`create table "automation_steps" ("run_id" text not null, "step_id" text not null, "kind" text not null, "status" text not null, "detail" text null, "at" timestamptz not null, constraint "automation_steps_pkey" primary key ("run_id", "step_id"), constraint "automation_steps_status_check" check ("status" in ('done', 'skipped', 'failed', 'waiting')));`);
    this.addSql(`alter table "automation_steps" add constraint "automation_steps_run_id_foreign" foreign key ("run_id") references "automation_runs" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "tasks" ("id" uuid not null, "sub_account_id" uuid not null, "contact_id" uuid null, "run_id" text null, "step_id" text null, "title" text not null, "due_at" timestamptz not null, "assignee" text null, "status" text not null default 'open', "created_at" timestamptz not null default now(), "completed_at" timestamptz null, constraint "tasks_pkey" primary key ("id"), constraint "tasks_status_check" check ("status" in ('open', 'done')));`);
    // One task per step of a run, however often the activity that creates it is retried.
    this.addSql(`alter table "tasks" add constraint "tasks_run_id_step_id_unique" unique ("run_id", "step_id");`);
    this.addSql(`create index "tasks_sub_account_id_status_due_at_index" on "tasks" ("sub_account_id", "status", "due_at");`);
    this.addSql(`alter table "tasks" add constraint "tasks_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "tasks" add constraint "tasks_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "tasks" cascade;`);
    this.addSql(`drop table if exists "automation_steps" cascade;`);
    this.addSql(`drop table if exists "automation_runs" cascade;`);
  }

}
