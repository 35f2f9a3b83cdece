import { Migration } from '@mikro-orm/migrations';

export class Migration20261203100000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "plugins" ("id" text not null, "agency_id" uuid null, "signing_secret" text null, "created_at" timestamptz not null, constraint "plugins_pkey" primary key ("id"));`);

    this.addSql(`create table "plugin_deliveries" ("id" uuid not null, "delivery_id" text not null, "attempt" int not null, "sub_account_id" uuid not null, "plugin_id" text not null, "plugin_version" text not null, "kind" text not null, "name" text not null, "call_sid" text null, "http_status" int null, "latency_ms" int not null, "outcome" text not null, "detail" text not null, "created_at" timestamptz not null, constraint "plugin_deliveries_pkey" primary key ("id"));`);
    this.addSql(`create index "plugin_deliveries_sub_account_id_created_at_index" on "plugin_deliveries" ("sub_account_id", "created_at");`);
    this.addSql(`alter table "plugin_deliveries" add constraint "plugin_deliveries_delivery_id_attempt_unique" unique ("delivery_id", "attempt");`);

    this.addSql(`create table "plugin_versions" ("id" uuid not null, "plugin_id" text not null, "version" text not null, "manifest" jsonb not null, "yanked" boolean not null default false, "published_at" timestamptz not null, "published_by" text null, constraint "plugin_versions_pkey" primary key ("id"));`);
    this.addSql(`alter table "plugin_versions" add constraint "plugin_versions_plugin_id_version_unique" unique ("plugin_id", "version");`);

    this.addSql(`alter table "plugins" add constraint "plugins_agency_id_foreign" foreign key ("agency_id") references "agencies" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "plugin_versions" add constraint "plugin_versions_plugin_id_foreign" foreign key ("plugin_id") references "plugins" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "plugin_versions" drop constraint "plugin_versions_plugin_id_foreign";`);

    this.addSql(`drop table if exists "plugins" cascade;`);

    this.addSql(`drop table if exists "plugin_deliveries" cascade;`);

    this.addSql(`drop table if exists "plugin_versions" cascade;`);
  }

}
