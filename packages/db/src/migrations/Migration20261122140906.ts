import { Migration } from '@mikro-orm/migrations';

export class Migration20261122140906 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "agencies" ("id" uuid not null, "name" text not null, "created_at" timestamptz not null, constraint "agencies_pkey" primary key ("id"));`);

    this.addSql(`create table "outbox_messages" ("id" uuid not null, "intent_id" text not null, "from_number" text not null, "to_number" text not null, "body" text not null, "created_at" timestamptz not null, constraint "outbox_messages_pkey" primary key ("id"));`);
    this.addSql(`alter table "outbox_messages" add constraint "outbox_messages_intent_id_unique" unique ("intent_id");`);
    this.addSql(`create index "outbox_messages_to_number_index" on "outbox_messages" ("to_number");`);

    this.addSql(`create table "snapshots" ("id" uuid not null, "agency_id" uuid not null, "slug" text not null, "name" text not null, "created_at" timestamptz not null, constraint "snapshots_pkey" primary key ("id"));`);
    this.addSql(`alter table "snapshots" add constraint "snapshots_agency_id_slug_unique" unique ("agency_id", "slug");`);

    this.addSql(`create table "snapshot_versions" ("id" uuid not null, "snapshot_id" uuid not null, "version" int not null, "definition" jsonb not null, "source_yaml" text not null, "created_at" timestamptz not null, constraint "snapshot_versions_pkey" primary key ("id"));`);
    this.addSql(`alter table "snapshot_versions" add constraint "snapshot_versions_snapshot_id_version_unique" unique ("snapshot_id", "version");`);

    this.addSql(`create table "sub_accounts" ("id" uuid not null, "agency_id" uuid not null, "name" text not null, "time_zone" text not null, "forwarding_number" text not null, "incoming_call_timeout" int not null, "sms_provider" text not null default 'outbox', "created_at" timestamptz not null, constraint "sub_accounts_pkey" primary key ("id"));`);
    this.addSql(`create index "sub_accounts_agency_id_index" on "sub_accounts" ("agency_id");`);

    this.addSql(`create table "provisionings" ("sub_account_id" uuid not null, "snapshot_version_id" uuid not null, "custom_values" jsonb not null, "provisioned_at" timestamptz not null, constraint "provisionings_pkey" primary key ("sub_account_id"));`);

    this.addSql(`create table "plugin_installations" ("id" uuid not null, "sub_account_id" uuid not null, "plugin_id" text not null, "plugin_version" text not null, "config" jsonb not null, "enabled" boolean not null default true, "installed_at" timestamptz not null, constraint "plugin_installations_pkey" primary key ("id"));`);
    this.addSql(`alter table "plugin_installations" add constraint "plugin_installations_sub_account_id_plugin_id_unique" unique ("sub_account_id", "plugin_id");`);

    this.addSql(`create table "phone_numbers" ("e164" text not null, "sub_account_id" uuid not null, "sms_capable" boolean not null default true, "created_at" timestamptz not null, constraint "phone_numbers_pkey" primary key ("e164"));`);
    this.addSql(`create index "phone_numbers_sub_account_id_index" on "phone_numbers" ("sub_account_id");`);

    this.addSql(`create table "contacts" ("id" uuid not null, "sub_account_id" uuid not null, "phone" text not null, "first_name" text not null default '', "last_name" text not null default '', "tags" jsonb not null default '[]', "source" text not null, "opted_out_at" timestamptz null, "created_at" timestamptz not null, constraint "contacts_pkey" primary key ("id"));`);
    this.addSql(`alter table "contacts" add constraint "contacts_sub_account_id_phone_unique" unique ("sub_account_id", "phone");`);

    this.addSql(`create table "calls" ("id" uuid not null, "sub_account_id" uuid not null, "call_sid" text not null, "from_raw" text not null, "caller_phone" text null, "untextable_reason" text null, "to_number" text not null, "contact_id" uuid null, "outcome" text null, "outcome_source" text null, "dial_call_status" text null, "ring_seconds" int null, "recording_url" text null, "text_back_status" text null, "text_back_reason" text null, "started_at" timestamptz not null, "ended_at" timestamptz null, constraint "calls_pkey" primary key ("id"));`);
    this.addSql(`alter table "calls" add constraint "calls_call_sid_unique" unique ("call_sid");`);
    this.addSql(`create index "calls_sub_account_id_started_at_index" on "calls" ("sub_account_id", "started_at");`);

    this.addSql(`create table "messages" ("id" uuid not null, "sub_account_id" uuid not null, "contact_id" uuid null, "call_id" uuid null, "direction" text not null, "from_number" text not null, "to_number" text not null, "body" text not null, "status" text not null, "provider" text not null, "provider_message_id" text null, "intent_id" text null, "error_code" int null, "error_message" text null, "segments" int not null default 1, "attempts" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "messages_pkey" primary key ("id"));`);
    this.addSql(`alter table "messages" add constraint "messages_provider_message_id_unique" unique ("provider_message_id");`);
    this.addSql(`alter table "messages" add constraint "messages_intent_id_unique" unique ("intent_id");`);
    this.addSql(`create index "messages_sub_account_id_created_at_index" on "messages" ("sub_account_id", "created_at");`);
    this.addSql(`create index "messages_contact_id_created_at_index" on "messages" ("contact_id", "created_at");`);

    this.addSql(`create table "api_keys" ("id" uuid not null, "agency_id" uuid not null, "sub_account_id" uuid null, "name" text not null, "prefix" text not null, "secret_hash" text not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_keys_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_prefix_unique" unique ("prefix");`);

    this.addSql(`alter table "snapshots" add constraint "snapshots_agency_id_foreign" foreign key ("agency_id") references "agencies" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "snapshot_versions" add constraint "snapshot_versions_snapshot_id_foreign" foreign key ("snapshot_id") references "snapshots" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sub_accounts" add constraint "sub_accounts_agency_id_foreign" foreign key ("agency_id") references "agencies" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "provisionings" add constraint "provisionings_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "provisionings" add constraint "provisionings_snapshot_version_id_foreign" foreign key ("snapshot_version_id") references "snapshot_versions" ("id") on update cascade;`);

    this.addSql(`alter table "plugin_installations" add constraint "plugin_installations_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "phone_numbers" add constraint "phone_numbers_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "contacts" add constraint "contacts_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "calls" add constraint "calls_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "calls" add constraint "calls_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "messages" add constraint "messages_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "messages" add constraint "messages_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "messages" add constraint "messages_call_id_foreign" foreign key ("call_id") references "calls" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_agency_id_foreign" foreign key ("agency_id") references "agencies" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_sub_account_id_foreign" foreign key ("sub_account_id") references "sub_accounts" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "snapshots" drop constraint "snapshots_agency_id_foreign";`);

    this.addSql(`alter table "sub_accounts" drop constraint "sub_accounts_agency_id_foreign";`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_agency_id_foreign";`);

    this.addSql(`alter table "snapshot_versions" drop constraint "snapshot_versions_snapshot_id_foreign";`);

    this.addSql(`alter table "provisionings" drop constraint "provisionings_snapshot_version_id_foreign";`);

    this.addSql(`alter table "provisionings" drop constraint "provisionings_sub_account_id_foreign";`);

    this.addSql(`alter table "plugin_installations" drop constraint "plugin_installations_sub_account_id_foreign";`);

    this.addSql(`alter table "phone_numbers" drop constraint "phone_numbers_sub_account_id_foreign";`);

    this.addSql(`alter table "contacts" drop constraint "contacts_sub_account_id_foreign";`);

    this.addSql(`alter table "calls" drop constraint "calls_sub_account_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_sub_account_id_foreign";`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_sub_account_id_foreign";`);

    this.addSql(`alter table "calls" drop constraint "calls_contact_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_contact_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_call_id_foreign";`);

    this.addSql(`drop table if exists "agencies" cascade;`);

    this.addSql(`drop table if exists "outbox_messages" cascade;`);

    this.addSql(`drop table if exists "snapshots" cascade;`);

    this.addSql(`drop table if exists "snapshot_versions" cascade;`);

    this.addSql(`drop table if exists "sub_accounts" cascade;`);

    this.addSql(`drop table if exists "provisionings" cascade;`);

    this.addSql(`drop table if exists "plugin_installations" cascade;`);

    this.addSql(`drop table if exists "phone_numbers" cascade;`);

    this.addSql(`drop table if exists "contacts" cascade;`);

    this.addSql(`drop table if exists "calls" cascade;`);

    this.addSql(`drop table if exists "messages" cascade;`);

    this.addSql(`drop table if exists "api_keys" cascade;`);
  }

}
