import { Migration } from '@mikro-orm/migrations';

/**
 * sweep_runs: every sweep the call sweeper ran, by which worker, from when to when (the database's
 * clock, inside the lock), and what it re-drove. Written by the sweeper alone; a week is kept.
 */
export class Migration20261207100000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "sweep_runs" ("id" bigserial primary key, "sweeper" text not null, "started_at" timestamptz not null, "finished_at" timestamptz not null, "resignalled" int not null, "redriven" int not null, "settled_from_provider" int not null);`);
    this.addSql(`create index "sweep_runs_started_at_index" on "sweep_runs" ("started_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sweep_runs" cascade;`);
  }

}
