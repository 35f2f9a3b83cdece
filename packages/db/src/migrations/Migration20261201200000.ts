import { Migration } from '@mikro-orm/migrations';

/**
 * One writer per column group on calls (intake: outcome, screening facts, decision, signalled_at;
 * the text-back workflow: text_back_status; the sweeper: sweep_after), the sweeper's partial
 * indexes, and each sub-account's call screening.
 */
export class Migration20261201200000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "calls" add column "outcome_detail" text null, add column "connected_seconds" int null, add column "answered_by" text null, add column "screen_accepted_at" timestamptz null, add column "intake_decision" text null, add column "intake_reason" text null, add column "signalled_at" timestamptz null, add column "sweep_after" timestamptz null;`);

    // Until now intake wrote "skipped" (with these reasons) and "pending" into text_back_status.
    this.addSql(`update "calls" set "intake_decision" = 'skip', "intake_reason" = "text_back_reason", "signalled_at" = coalesce("ended_at", now()), "text_back_status" = null, "text_back_reason" = null
      where "text_back_status" = 'skipped' and ("text_back_reason" in ('answered', 'answered_by_ai') or "text_back_reason" like 'abandoned\\_after\\_%' or "text_back_reason" like 'untextable caller ID:%');`);
    this.addSql(`update "calls" set "intake_decision" = 'text_back', "signalled_at" = coalesce("ended_at", now())
      where "outcome" is not null and "intake_decision" is null and "text_back_status" is not null;`);
    this.addSql(`update "calls" set "text_back_status" = null where "text_back_status" = 'pending';`);

    this.addSql(`create index "calls_unsignalled_idx" on "calls" ("ended_at") where "outcome" is not null and "signalled_at" is null;`);
    this.addSql(`create index "calls_unsettled_idx" on "calls" ("signalled_at") where "intake_decision" = 'text_back' and "text_back_status" is null;`);
    this.addSql(`create index "calls_no_outcome_idx" on "calls" ("started_at") where "outcome" is null;`);

    this.addSql(`alter table "sub_accounts" add column "press_one_to_accept" boolean not null default false, add column "machine_detection" boolean not null default true, add column "min_answered_seconds" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "calls_unsignalled_idx";`);
    this.addSql(`drop index "calls_unsettled_idx";`);
    this.addSql(`drop index "calls_no_outcome_idx";`);
    this.addSql(`update "calls" set "text_back_status" = 'skipped', "text_back_reason" = "intake_reason" where "text_back_status" is null and "intake_decision" = 'skip';`);
    this.addSql(`update "calls" set "text_back_status" = 'pending' where "text_back_status" is null and "intake_decision" = 'text_back';`);
    this.addSql(`alter table "calls" drop column "outcome_detail", drop column "connected_seconds", drop column "answered_by", drop column "screen_accepted_at", drop column "intake_decision", drop column "intake_reason", drop column "signalled_at", drop column "sweep_after";`);
    this.addSql(`alter table "sub_accounts" drop column "press_one_to_accept", drop column "machine_detection", drop column "min_answered_seconds";`);
  }

}
