import { Migration } from '@mikro-orm/migrations';

/** automation_steps.seq: the order steps were first reported, so a run's steps list in the order they ran (several share one moment). */
export class Migration20261202040000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "automation_steps" add column "seq" bigserial not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "automation_steps" drop column "seq";`);
  }

}
