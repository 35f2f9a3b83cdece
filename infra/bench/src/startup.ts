import { freePort, repoRoot, startProcess } from '@mctb/devstack';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * `npm start` (the built launcher) to its "mctb is running" banner: once on an empty state
 * directory (PostgreSQL initialised, migrations, demo seeded) and once more on the same state.
 */
export async function startupSeconds(): Promise<{ firstSeconds: number; warmSeconds: number }> {
  const state = await mkdtemp(join(tmpdir(), 'mctb-bench-start-'));
  // Searchable by the postgres user (as root), so PostgreSQL's data stays inside and goes with it.
  await chmod(state, 0o755);
  try {
    const env = {
      ...process.env,
      MCTB_STATE_DIR: state,
      MCTB_CONTROL_PLANE_PORT: String(await freePort()),
      MCTB_GATEWAY_PORT: String(await freePort()),
      MCTB_WORKER_PORT: String(await freePort()),
      MCTB_POSTGRES_PORT: String(await freePort()),
      MCTB_TEMPORAL_PORT: String(await freePort()),
      MCTB_TEMPORAL_UI_PORT: String(await freePort()),
    };
    const once = async () => {
      const started = performance.now();
      let ready = false;
      const launcher = startProcess('npm start', process.execPath, [join(repoRoot, 'infra/launcher/dist/start.js')], {
        env,
        cwd: repoRoot,
        stopSignal: 'SIGINT',
        onLine: (line) => {
          if (line.includes('mctb is running')) ready = true;
        },
      });
      try {
        while (!ready) {
          if ((await Promise.race([launcher.exited.then(() => 'exited'), new Promise((resolve) => setTimeout(resolve, 100))])) === 'exited') {
            throw new Error(`npm start exited before it was ready:\n${launcher.recentOutput()}`);
          }
        }
        return (performance.now() - started) / 1000;
      } finally {
        await launcher.stop();
      }
    };
    const firstSeconds = await once();
    const warmSeconds = await once();
    return { firstSeconds, warmSeconds };
  } finally {
    await rm(state, { recursive: true, force: true });
  }
}
