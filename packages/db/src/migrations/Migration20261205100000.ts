import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the metrics (DESIGN §9): a call's own texts (for the time to text, delivery and
 * replies), the opt-outs of a sub-account by day, and a contact's done tasks (a recovered lead).
 * All partial, so they cost nothing for the rows they don't cover (inbound texts, contacts who
 * never opted out, open tasks).
 */
export class Migration20261205100000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "messages_call_id_created_at_idx" on "messages" ("call_id", "created_at") where "call_id" is not null;`);
    this.addSql(`create index "contacts_opted_out_idx" on "contacts" ("sub_account_id", "opted_out_at") where "opted_out_at" is not null;`);
    this.addSql(`create index "tasks_done_contact_idx" on "tasks" ("contact_id") where "status" = 'done';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "messages_call_id_created_at_idx";`);
    this.addSql(`drop index "contacts_opted_out_idx";`);
    this.addSql(`drop index "tasks_done_contact_idx";`);
  }

}
