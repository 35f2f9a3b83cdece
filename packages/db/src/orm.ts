import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export type Orm = MikroORM;

export interface OrmOptions {
  /** Largest connection pool of this process. */
  poolSize?: number;
  /** Log every SQL statement. */
  debug?: boolean;
}

function ignore(): void {}

export function ormConfig(databaseUrl: string, options: OrmOptions = {}): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    // Tables with no entity (plain SQL only, see AutomationStore, block-list.ts, NotificationStore): the migration diff must not drop them.
    schemaGenerator: { skipTables: ['automation_runs', 'automation_steps', 'tasks', 'blocked_numbers', 'notifications', 'automated_text_days', 'automated_text_reservations', 'sweep_runs'] },
    // Every request and activity forks its own EntityManager; the global one must never be used.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: options.poolSize ?? 10 },
    // knex prints broken connections to the console ("Connection Error: …", with no redaction);
    // the same failure reaches the caller as the query's error, which is handled and logged there.
    driverOptions: { log: { warn: ignore, error: ignore, deprecate: ignore, debug: ignore } },
    debug: options.debug ?? false,
  });
}

export function createOrm(databaseUrl: string, options: OrmOptions = {}): Promise<Orm> {
  return MikroORM.init(ormConfig(databaseUrl, options));
}

/** Any number for pg_advisory_xact_lock, as long as every process agrees on it. */
const MIGRATION_LOCK = 7_411_930_201;

/**
 * Applies pending migrations. Gateways, control planes and workers all call this on start;
 * an advisory lock lets the first one migrate while the others wait and then find nothing to do.
 */
export async function migrate(orm: Orm): Promise<string[]> {
  return orm.em.fork().transactional(async (em) => {
    await em.execute(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    const applied = await orm.getMigrator().up({ transaction: em.getTransactionContext() });
    return applied.map((migration) => migration.name);
  });
}
