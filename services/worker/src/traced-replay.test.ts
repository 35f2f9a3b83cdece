import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tracingInterceptorModules, workflowsSourcePath } from './bundle-location.js';

// The workflows' recorded histories (packages/workflows/histories), made by untraced workers.
const historiesDir = fileURLToPath(new URL('../../../packages/workflows/histories', import.meta.url));

describe('the traced workflow bundle replays histories recorded without tracing', () => {
  it('replays every recorded history with the tracing interceptors (a worker can turn tracing on under running workflows)', async () => {
    const names = (await readdir(historiesDir)).filter((file) => file.endsWith('.json'));
    expect(names.length).toBeGreaterThanOrEqual(2);
    const histories = await Promise.all(
      names.map(async (name) => ({ workflowId: name, history: historyFromJSON(JSON.parse(await readFile(join(historiesDir, name), 'utf8'))) })),
    );
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      {
        workflowsPath: workflowsSourcePath(),
        interceptors: { workflowModules: tracingInterceptorModules() },
        // The worker's span sink (nothing is exported during a replay).
        sinks: { exporter: { export: { fn: () => undefined } } },
        replayName: 'traced',
      },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
