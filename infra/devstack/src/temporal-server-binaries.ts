import { chmod, cp, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { findOnPath, isExecutable, run } from './exec.js';
import { cacheDir } from './paths.js';

/** The newest server release this machine's Go builds (v1.31+ needs a newer Go). */
export const TEMPORAL_SERVER_VERSION = 'v1.30.4';
const MODULE = 'go.temporal.io/server';

export interface TemporalServerBinaries {
  /** `cmd/server`: the whole cluster (frontend, history, matching, worker) in one process. */
  readonly server: string;
  /** `cmd/tools/sql`: temporal-sql-tool, which creates and migrates the PostgreSQL schemas. */
  readonly sqlTool: string;
  /** A copy of the module's `schema/postgresql/v12` (temporal/ and visibility/, each with versioned/). */
  readonly postgresSchemaDir: string;
  readonly version: string;
}

/**
 * The real Temporal server and its SQL tool, built once with `go install` from the Go module proxy
 * into the cache (never inside the repo), like the CLI. The schema files come from the same module
 * (Go's module cache after the build) and are copied beside the binaries, so a start needs no Go.
 */
export async function ensureTemporalServerBinaries(log: (message: string) => void = console.log): Promise<TemporalServerBinaries> {
  const installDir = join(cacheDir(), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const binaries: TemporalServerBinaries = {
    server: join(installDir, 'temporal-server'),
    sqlTool: join(installDir, 'temporal-sql-tool'),
    postgresSchemaDir: join(installDir, 'schema', 'postgresql', 'v12'),
    version: TEMPORAL_SERVER_VERSION,
  };
  // The server binary is put in place last: when it is there, so is everything else.
  if (await isExecutable(binaries.server)) return binaries;

  const go = await findOnPath('go');
  if (!go) {
    throw new Error(
      `Go is needed to build the Temporal server ${TEMPORAL_SERVER_VERSION} once (go install from the module proxy); ` +
        'install Go >= 1.25, or set TEMPORAL_ADDRESS to an existing server',
    );
  }
  const started = Date.now();
  log(`› building the Temporal server ${TEMPORAL_SERVER_VERSION} and temporal-sql-tool with Go (once, a few minutes; cached in ${installDir})`);
  await mkdir(installDir, { recursive: true });
  // Build into a private directory, then rename: concurrent builds never see a half-written install.
  const scratch = await mkdtemp(join(installDir, 'build-'));
  try {
    const packages = [`${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`];
    const result = await run(go, ['install', ...packages], { env: { ...process.env, GOBIN: scratch } });
    if (result.code !== 0) throw new Error(`go install ${packages.join(' ')} failed:\n${result.stderr.slice(-4000)}`);
    const schema = join(scratch, 'schema-copy');
    await cp(await moduleSchemaDir(go), schema, { recursive: true });
    await makeWritable(schema); // the module cache is read-only, and so would the copy be
    await rm(join(installDir, 'schema'), { recursive: true, force: true });
    await mkdir(join(installDir, 'schema', 'postgresql'), { recursive: true });
    await rename(schema, binaries.postgresSchemaDir);
    await rename(join(scratch, 'sql'), binaries.sqlTool);
    await rename(join(scratch, 'server'), binaries.server);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  log(`› built the Temporal server in ${Math.round((Date.now() - started) / 1000)} s`);
  return binaries;
}

/** The module's `schema/postgresql/v12` in Go's module cache (`go mod download` tells where). */
async function moduleSchemaDir(go: string): Promise<string> {
  const result = await run(go, ['mod', 'download', '-json', `${MODULE}@${TEMPORAL_SERVER_VERSION}`]);
  let dir: string | undefined;
  try {
    dir = (JSON.parse(result.stdout) as { Dir?: string }).Dir;
  } catch {
    dir = undefined;
  }
  if (result.code !== 0 || !dir) throw new Error(`go mod download ${MODULE}@${TEMPORAL_SERVER_VERSION} failed:\n${(result.stderr || result.stdout).slice(-4000)}`);
  const schema = join(dir, 'schema', 'postgresql', 'v12');
  if (!(await stat(join(schema, 'temporal', 'versioned')).then(() => true, () => false))) {
    throw new Error(`${schema} holds no temporal/versioned schema`);
  }
  return schema;
}

async function makeWritable(path: string): Promise<void> {
  const info = await stat(path);
  await chmod(path, info.mode | 0o200);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(path)) await makeWritable(join(path, entry));
}
