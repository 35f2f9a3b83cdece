import { Migration } from '@mikro-orm/migrations';

/**
 * calls.handed_to_plugin: the plugin intake handed an unanswered caller to (Voice AI's agent), so
 * the caller's text-back holds its first text until that plugin says whether its agent answered.
 */
export class Migration20261204000000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "calls" add column "handed_to_plugin" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "calls" drop column "handed_to_plugin";`);
  }

}
