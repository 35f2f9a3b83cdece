import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const historiesDir = fileURLToPath(new URL('../histories', import.meta.url));
const names = (await readdir(historiesDir)).filter((file) => file.endsWith('.json'));

describe('replaying recorded histories (determinism)', () => {
  it('has recorded histories to replay', () => {
    expect(names.length).toBeGreaterThanOrEqual(2);
  });

  it.each(names)('today\'s workflow code replays %s without non-determinism', async (name) => {
    const history = historyFromJSON(JSON.parse(await readFile(join(historiesDir, name), 'utf8')));
    await expect(
      Worker.runReplayHistory({ workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)), replayName: name }, history),
    ).resolves.toBeUndefined();
  });
});
