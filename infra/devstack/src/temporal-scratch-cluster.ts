import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase } from './postgres.js';
import { freePort } from './ports.js';
import { ensureTemporalCli } from './temporal-cli.js';
import { startTemporalCluster } from './temporal-cluster.js';
import type { RunningTemporal } from './temporal-dev-server.js';
import { ensureTemporalServerBinaries } from './temporal-server-binaries.js';

export interface ScratchTemporalClusterOptions {
  /** A URL on the PostgreSQL server to hold the cluster's databases, with a user that may create them. */
  postgresUrl: string;
  /** Names its databases (`temporal_<tag>_<random>`, `temporal_visibility_<tag>_<random>`) and config directory. */
  tag: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Receives each line the server prints. */
  onLine?: (line: string) => void;
  /** Progress (building the binaries the first time). */
  log?: (message: string) => void;
}

/**
 * A throwaway cluster for a test or a benchmark: the real Temporal server (built once into the
 * cache) on databases of its own, its config in a temporary directory, its frontend on a free port.
 * stop() stops the server, then drops both databases and the config.
 */
export async function startScratchTemporalCluster(options: ScratchTemporalClusterOptions): Promise<RunningTemporal> {
  const log = options.log ?? (() => undefined);
  const suffix = `${options.tag}_${randomBytes(4).toString('hex')}`;
  const databases = { main: `temporal_${suffix}`, visibility: `temporal_visibility_${suffix}` };
  const configDir = await mkdtemp(join(tmpdir(), `mctb-${options.tag}-`));
  const cleanup = async () => {
    await rm(configDir, { recursive: true, force: true });
    await dropDatabase(options.postgresUrl, databases.main);
    await dropDatabase(options.postgresUrl, databases.visibility);
  };
  try {
    const [binaries, cli] = await Promise.all([ensureTemporalServerBinaries(log), ensureTemporalCli(log)]);
    const temporal = await startTemporalCluster({
      binaries,
      cli,
      postgresUrl: options.postgresUrl,
      databases,
      port: await freePort(),
      configDir,
      logLevel: options.logLevel ?? 'error',
      ...(options.onLine ? { onLine: options.onLine } : {}),
      log,
    });
    return {
      ...temporal,
      async stop() {
        try {
          await temporal.stop();
        } finally {
          await cleanup();
        }
      },
    };
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
}
