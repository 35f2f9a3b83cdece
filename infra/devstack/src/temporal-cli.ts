import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { findOnPath, isExecutable, run } from './exec.js';
import { cacheDir } from './paths.js';

/** The newest CLI release that `go install` can build (later tags carry `replace` directives). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

/**
 * Finds the Temporal CLI: $TEMPORAL_CLI, then `temporal` on PATH, then our cache; otherwise builds
 * it once from the Go module proxy into the cache (a couple of minutes, never inside the repo).
 */
export async function ensureTemporalCli(log: (message: string) => void = console.log): Promise<string> {
  const explicit = process.env.TEMPORAL_CLI;
  if (explicit) {
    if (!(await isExecutable(explicit))) throw new Error(`TEMPORAL_CLI=${explicit} is not an executable file`);
    return explicit;
  }
  const onPath = await findOnPath('temporal');
  if (onPath) return onPath;

  const installDir = join(cacheDir(), `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const cached = join(installDir, 'temporal');
  if (await isExecutable(cached)) return cached;

  const go = await findOnPath('go');
  if (!go) {
    throw new Error(
      'No Temporal CLI found (TEMPORAL_CLI, PATH) and Go is not installed to build it. ' +
        'Install Go >= 1.23, put a `temporal` binary on PATH, or set TEMPORAL_ADDRESS to an existing server.',
    );
  }
  log(`› building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go (once; cached in ${installDir})`);
  await mkdir(installDir, { recursive: true });
  // Build into a private directory, then rename: concurrent builds never see a half-written binary.
  const scratch = await mkdtemp(join(installDir, 'build-'));
  try {
    const result = await run(go, ['install', `${MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: scratch },
    });
    if (result.code !== 0) {
      throw new Error(`go install ${MODULE}@${TEMPORAL_CLI_VERSION} failed:\n${result.stderr.slice(-4000)}`);
    }
    await rename(join(scratch, 'temporal'), cached);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return cached;
}
