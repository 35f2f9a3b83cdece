import { Migration } from '@mikro-orm/migrations';

export class Migration20261122142824 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "messages" add column "send_lease_until" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "messages" drop column "send_lease_until";`);
  }

}
