import { run } from './exec.js';
import { startProcess, type ManagedProcess } from './managed-process.js';
import { waitFor } from './ports.js';

export interface TemporalDevServerOptions {
  cli: string;
  port: number;
  /** Web UI port; omit for a headless server (tests). */
  uiPort?: number;
  /** SQLite file for state that survives restarts; omit to keep everything in memory (tests). */
  dbFile?: string;
}

export interface RunningTemporal {
  readonly address: string;
  readonly uiUrl: string | null;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` on loopback and waits until its frontend reports SERVING. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningTemporal> {
  const address = `127.0.0.1:${options.port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'error'];
  // Hand an activity a workflow schedules straight back to the worker that completed the workflow
  // task (when it has room), skipping a round through the matching service.
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  // On a file, write-ahead logging with normal syncs: the rollback journal rewrote the file on every
  // commit (gigabytes in minutes under load) and halved throughput. In memory (tests) it is moot.
  if (options.dbFile) args.push('--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');

  const server = startProcess('temporal', options.cli, args);
  try {
    await Promise.race([
      waitFor(
        `the Temporal dev server on ${address}`,
        async () => (await run(options.cli, ['operator', 'cluster', 'health', '--address', address])).stdout.includes('SERVING'),
        { timeoutMs: 90_000, intervalMs: 250 },
      ),
      server.exited.then((code) => {
        throw new Error(`the Temporal dev server exited (code ${code}):\n${server.recentOutput()}`);
      }),
    ]);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    address,
    uiUrl: options.uiPort === undefined ? null : `http://127.0.0.1:${options.uiPort}`,
    process: server,
    stop: () => server.stop(),
  };
}
