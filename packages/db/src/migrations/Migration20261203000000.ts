import { Migration } from '@mikro-orm/migrations';

/**
 * twilio_accounts: an agency's own Twilio account, its auth token sealed (AES-256-GCM) with the id
 * of the key that sealed it; phone_numbers.account_sid: the account that holds the number at
 * Twilio, whose token alone signs the webhooks about it.
 */
export class Migration20261203000000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "twilio_accounts" ("account_sid" text not null, "agency_id" uuid not null, "friendly_name" text not null, "auth_token_ciphertext" text not null, "auth_token_key_id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "twilio_accounts_pkey" primary key ("account_sid"));`);
    this.addSql(`alter table "twilio_accounts" add constraint "twilio_accounts_agency_id_unique" unique ("agency_id");`);
    this.addSql(`alter table "twilio_accounts" add constraint "twilio_accounts_agency_id_foreign" foreign key ("agency_id") references "agencies" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "phone_numbers" add column "account_sid" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "phone_numbers" drop column "account_sid";`);
    this.addSql(`drop table if exists "twilio_accounts" cascade;`);
  }

}
