/**
 * Writes a migration for the difference between the entities and the committed migrations:
 * `pnpm --filter @mctb/db migration:create`. It starts a throwaway PostgreSQL, applies the
 * existing migrations there, diffs, and writes the new file into src/migrations (then list it
 * in src/migrations/index.ts and commit it).
 */
import { freePort, startEmbeddedPostgres } from '@mctb/devstack';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOrm, migrate } from '../orm.js';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '../../src/migrations');
const dataRoot = await mkdtemp(join(tmpdir(), 'mctb-migration-'));
const postgres = await startEmbeddedPostgres({ dataDir: join(dataRoot, 'data'), port: await freePort(), persistent: false });
try {
  const orm = await createOrm(postgres.adminUrl);
  try {
    await migrate(orm);
    const result = await orm.getMigrator().createMigration(migrationsDir);
    console.log(result.fileName ? `wrote ${join(migrationsDir, result.fileName)}` : 'no schema changes');
  } finally {
    await orm.close();
  }
} finally {
  await postgres.stop();
  await rm(dataRoot, { recursive: true, force: true });
}
