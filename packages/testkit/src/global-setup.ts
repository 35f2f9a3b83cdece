import {
  ensureChromium,
  ensureTemporalCli,
  ensureTemporalServerBinaries,
  ensureTemporalTestServer,
  freePort,
  startEmbeddedPostgres,
  type RunningPostgres,
} from '@mctb/devstack';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import './provided-context.js';


let postgres: RunningPostgres | undefined;
let dataRoot: string | undefined;

/**
 * Runs once per `vitest run`: installs what is missing (Temporal CLI, Java test server, Debian's
 * Chromium for the browser tests) before any test starts, so no test's hook waits for an install,
 * and starts one PostgreSQL whose databases the test files create for themselves.
 */
export async function setup(project: TestProject): Promise<void> {
  const log = (message: string) => console.log(message);
  const [temporalCli, temporalTestServer] = await Promise.all([ensureTemporalCli(log), ensureTemporalTestServer(log), chromiumForBrowserTests(log)]);
  // The real Temporal server and its SQL tool (built once, a few minutes) for the cluster and scale tests.
  await ensureTemporalServerBinaries(log);
  dataRoot = await mkdtemp(join(tmpdir(), 'mctb-test-pg-'));
  postgres = await startEmbeddedPostgres({ dataDir: join(dataRoot, 'data'), port: await freePort(), persistent: false });
  project.provide('postgresAdminUrl', postgres.adminUrl);
  project.provide('temporalCli', temporalCli);
  project.provide('temporalTestServer', temporalTestServer);
  project.provide('fuzzRuns', fuzzRuns(process.env.MCTB_FUZZ_RUNS));
}

/** A machine that can't install Chromium still runs every other test; the browser tests then fail saying why. */
async function chromiumForBrowserTests(log: (message: string) => void): Promise<void> {
  try {
    await ensureChromium(log);
  } catch (error) {
    log(`⚠ the browser tests will fail: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function teardown(): Promise<void> {
  await postgres?.stop();
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
}

function fuzzRuns(setting: string | undefined): number {
  if (setting === undefined || setting.trim() === '') return 200;
  const runs = Number(setting);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`MCTB_FUZZ_RUNS must be a positive whole number, got "${setting}"`);
  return runs;
}
