/**
 * Applies pending database migrations and exits: `node services/control-plane/dist/migrate.js`, run
 * by the Helm chart's migration Job before a release's pods start (they then skip it with
 * DB_MIGRATE_ON_START=false). Reads DATABASE_URL and LOG_LEVEL through the control plane's env.
 */
import { createOrm, migrate } from '@mctb/db';
import { createLogger } from '@mctb/service-kit';
import { controlPlaneEnv } from './env.js';

const env = controlPlaneEnv();
const log = createLogger('migrate', env.LOG_LEVEL);
// The default pool: the migrator asks for a connection of its own beside the locked transaction's.
const orm = await createOrm(env.DATABASE_URL);
try {
  const applied = await migrate(orm);
  log.info({ applied }, applied.length > 0 ? `applied ${applied.length} migration(s)` : 'the schema is up to date');
} finally {
  await orm.close();
}
