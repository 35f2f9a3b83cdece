import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { run } from './exec.js';
import { startProcess } from './managed-process.js';
import { waitFor } from './ports.js';
import { ensureDatabase } from './postgres.js';
import type { RunningTemporal } from './temporal-dev-server.js';
import type { TemporalServerBinaries } from './temporal-server-binaries.js';

export interface TemporalClusterOptions {
  /** From ensureTemporalServerBinaries. */
  binaries: TemporalServerBinaries;
  /** The Temporal CLI (ensureTemporalCli): readiness and the namespace. */
  cli: string;
  /**
   * Any database URL on the PostgreSQL server to keep the cluster's state in, with a user that may
   * create databases (the embedded server's adminUrl, say). The cluster gets databases of its own.
   */
  postgresUrl: string;
  /** Its two databases; `temporal` and `temporal_visibility` unless given (tests pick their own). */
  databases?: { main: string; visibility: string };
  /** The frontend's gRPC port (what TEMPORAL_ADDRESS names); the other services take free ports. */
  port: number;
  /** Where the server's config and dynamic config are written (state stays in PostgreSQL). */
  configDir: string;
  /**
   * History shards: fixed when the cluster is first created (a start with another number fails).
   * 4 is plenty for one machine; production sizes it for its load (hundreds to thousands).
   */
  numHistoryShards?: number;
  /** Created when missing; `default` unless given. */
  namespace?: string;
  /** Days closed workflows are kept; 3 unless given. */
  retentionDays?: number;
  /** The server's own log level (JSON lines on stdout); `warn` unless given. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Receives each line the server prints. */
  onLine?: (line: string) => void;
  log?: (message: string) => void;
}

/** What the two schemas live in and where their versioned migrations are. */
const SCHEMAS = [
  { key: 'main', dir: 'temporal' },
  { key: 'visibility', dir: 'visibility' },
] as const;

/**
 * Starts the real Temporal server (`go.temporal.io/server`, every service in one process) on
 * PostgreSQL: creates its databases and sets up or migrates their schemas with temporal-sql-tool,
 * writes a config with free ports, starts the server, waits until its frontend serves and creates
 * the namespace. Its state lives in PostgreSQL, so a restart on the same databases loses nothing.
 */
export async function startTemporalCluster(options: TemporalClusterOptions): Promise<RunningTemporal> {
  const log = options.log ?? (() => undefined);
  const databases = options.databases ?? { main: 'temporal', visibility: 'temporal_visibility' };
  const namespace = options.namespace ?? 'default';
  const connection = postgresConnection(options.postgresUrl);

  for (const schema of SCHEMAS) {
    const database = databases[schema.key];
    await ensureDatabase(options.postgresUrl, database);
    await prepareSchema(options.binaries, connection, database, join(options.binaries.postgresSchemaDir, schema.dir, 'versioned'), log);
  }

  const configDir = resolve(options.configDir);
  await mkdir(configDir, { recursive: true });
  const dynamicConfigFile = join(configDir, 'dynamic-config.yaml');
  await writeFile(dynamicConfigFile, DYNAMIC_CONFIG);
  const configFile = join(configDir, 'temporal-server.yaml');
  await writeFile(
    configFile,
    serverConfig({
      port: options.port,
      otherPorts: await internalPorts(join(configDir, 'ports.json')),
      connection,
      databases,
      numHistoryShards: options.numHistoryShards ?? 4,
      dynamicConfigFile,
      logLevel: options.logLevel ?? 'warn',
    }),
  );

  const address = `127.0.0.1:${options.port}`;
  // Stopping, its services go away one by one and the others log errors about it: not worth showing.
  let stopping = false;
  const server = startProcess('temporal', options.binaries.server, ['--config-file', configFile, '--allow-no-auth', 'start'], {
    cwd: configDir,
    onLine: (line) => {
      if (!stopping) options.onLine?.(line);
    },
  });
  const stop = async () => {
    stopping = true;
    await server.stop();
  };
  const cli = (args: string[]) => run(options.cli, [...args, '--address', address], { timeoutMs: 15_000 });
  try {
    await Promise.race([
      (async () => {
        await waitFor(`the Temporal server on ${address}`, async () => (await cli(['operator', 'cluster', 'health'])).stdout.includes('SERVING'), {
          timeoutMs: 90_000,
          intervalMs: 200,
        });
        await ensureNamespace(cli, namespace, options.retentionDays ?? 3);
      })(),
      server.exited.then((code) => {
        throw new Error(`the Temporal server exited (code ${code}):\n${server.recentOutput()}`);
      }),
    ]);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { address, uiUrl: null, process: server, stop };
}

interface PostgresConnection {
  host: string;
  port: number;
  user: string;
  password: string;
}

function postgresConnection(url: string): PostgresConnection {
  const parsed = new URL(url);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/**
 * First start: the versioning tables (`setup-schema -v 0.0`); every start: `update-schema` to the
 * newest version in the module (nothing to do when current). The tool's defaults are MySQL's, so
 * plugin, host and port are always given.
 */
async function prepareSchema(
  binaries: TemporalServerBinaries,
  connection: PostgresConnection,
  database: string,
  versionedDir: string,
  log: (message: string) => void,
): Promise<void> {
  const tool = (args: string[]) =>
    run(binaries.sqlTool, [
      '--plugin', 'postgres12',
      '--endpoint', connection.host,
      '--port', String(connection.port),
      '--user', connection.user,
      '--password', connection.password,
      '--database', database,
      ...args,
    ]);
  const check = (what: string, result: { code: number; stdout: string; stderr: string }) => {
    if (result.code !== 0) throw new Error(`temporal-sql-tool ${what} failed for database ${database}:\n${(result.stderr + result.stdout).slice(-4000)}`);
  };
  if (!(await hasVersioningTables(connection, database))) {
    log(`› setting up Temporal's schema in database ${database}`);
    check('setup-schema', await tool(['setup-schema', '-v', '0.0']));
  }
  check('update-schema', await tool(['update-schema', '-d', versionedDir]));
}

async function hasVersioningTables(connection: PostgresConnection, database: string): Promise<boolean> {
  const client = new pg.Client({ ...connection, database });
  await client.connect();
  try {
    const found = await client.query(`select to_regclass('schema_version') is not null as present`);
    return (found.rows[0] as { present: boolean }).present;
  } finally {
    await client.end();
  }
}

/** Creates the namespace unless it exists, then waits until the frontend serves requests in it. */
async function ensureNamespace(
  cli: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>,
  namespace: string,
  retentionDays: number,
): Promise<void> {
  if ((await cli(['operator', 'namespace', 'describe', '--namespace', namespace])).code !== 0) {
    const created = await cli(['operator', 'namespace', 'create', '--namespace', namespace, '--retention', `${retentionDays * 24}h`]);
    // Another start may have created it meanwhile.
    if (created.code !== 0 && !/already exists|AlreadyExists/i.test(created.stderr + created.stdout)) {
      throw new Error(`could not create the Temporal namespace ${namespace}:\n${created.stderr || created.stdout}`);
    }
  }
  // A new namespace reaches the services' caches a moment later (system.namespaceCacheRefreshInterval).
  await waitFor(`the Temporal namespace ${namespace} to serve`, async () => (await cli(['workflow', 'count', '--namespace', namespace])).code === 0, {
    timeoutMs: 30_000,
    intervalMs: 200,
  });
}

/**
 * The ports of the services other than the frontend: the last start's when they are free again.
 * The cluster remembers its members' addresses (cluster_membership) and a restart first tries to
 * join those; on new ports it waits for the old ones in vain (ringpop's 30 s join timeout, then
 * "unable to bootstrap ringpop"), on the same ports it finds itself.
 */
async function internalPorts(file: string): Promise<number[]> {
  const previous = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as unknown,
    () => null,
  );
  if (Array.isArray(previous) && previous.length === 8 && previous.every((port) => Number.isInteger(port))) {
    const ports = previous as number[];
    if ((await Promise.all(ports.map(canListen))).every(Boolean)) return ports;
  }
  const ports = await freePorts(8);
  await writeFile(file, `${JSON.stringify(ports)}\n`);
  return ports;
}

/**
 * Free loopback ports for the services other than the frontend. Below 32768: the cluster records
 * each member's port in cluster_membership.rpc_port, a smallint, and the OS hands out ephemeral
 * ports above it (a member on one of those fails to start with "out of range for type smallint").
 */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  for (let attempt = 0; ports.size < count; attempt++) {
    if (attempt > 500) throw new Error('found no free ports between 20000 and 32767 for the Temporal server');
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (!ports.has(port) && (await canListen(port))) ports.add(port);
  }
  return [...ports];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolveListen) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveListen(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveListen(true)));
  });
}

/**
 * What the CLI's dev server turns on and our workers use: an activity a workflow schedules goes
 * straight back to the worker that completed the workflow task, when it has room.
 */
const DYNAMIC_CONFIG = `# Written by infra/devstack (temporal-cluster.ts) on every start.
system.enableActivityEagerExecution:
  - value: true
system.namespaceCacheRefreshInterval:
  - value: 1s
`;

function serverConfig(c: {
  port: number;
  otherPorts: number[];
  connection: PostgresConnection;
  databases: { main: string; visibility: string };
  numHistoryShards: number;
  dynamicConfigFile: string;
  logLevel: string;
}): string {
  const [frontendHttp, frontendMembership, history, historyMembership, matching, matchingMembership, worker, workerMembership] = c.otherPorts;
  const store = (database: string, maxConns: number) => `
      sql:
        pluginName: "postgres12"
        databaseName: ${JSON.stringify(database)}
        connectAddr: ${JSON.stringify(`${c.connection.host}:${c.connection.port}`)}
        connectProtocol: "tcp"
        user: ${JSON.stringify(c.connection.user)}
        password: ${JSON.stringify(c.connection.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (grpcPort: number | undefined, membershipPort: number | undefined, extra = '') => `
    rpc:
      grpcPort: ${grpcPort}
      membershipPort: ${membershipPort}
      bindOnLocalHost: true${extra}`;
  // JSON strings are valid YAML scalars: every value the caller chose is quoted safely.
  return `# Written by infra/devstack (temporal-cluster.ts) on every start; the state is in PostgreSQL.
log:
  stdout: true
  level: ${c.logLevel}

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${c.numHistoryShards}
  datastores:
    postgres-default:${store(c.databases.main, 10)}
    postgres-visibility:${store(c.databases.visibility, 2)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
  frontend:${service(c.port, frontendMembership, `\n      httpPort: ${frontendHttp}`)}
  history:${service(history, historyMembership)}
  matching:${service(matching, matchingMembership)}
  worker:${service(worker, workerMembership)}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${c.port}"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: ${JSON.stringify(c.dynamicConfigFile)}
  pollInterval: "10s"
`;
}
