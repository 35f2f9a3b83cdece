/**
 * Records the histories the replay test checks: `pnpm --filter @mctb/workflows histories:record`.
 * Re-record only when a workflow change is meant to be incompatible (and ship it as a new
 * workflow type or behind `patched()`); otherwise the replay test is what catches the mistake.
 * Histories of earlier versions stay, renamed with their version (v1-*.json), for as long as runs
 * of that version may be open.
 */
import { ensureDatabase, ensureTemporalTestServer, freePort, startEmbeddedPostgres } from '@mctb/devstack';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, startTextBackHarness, type TextBackHarness } from '../testing/harness.js';
import { callAnsweredSignal } from '../textback-signals.js';

const historiesDir = join(dirname(fileURLToPath(import.meta.url)), '../../histories');

const scenarios: Record<string, (h: TextBackHarness) => Promise<string>> = {
  /** Texted after the delay; a repeat call inside the window is absorbed; the window ends. */
  'texted-then-deduped': async (h) => {
    const caller = '+15125550401';
    await h.missedCall(caller);
    await h.env.sleep('61 seconds');
    await eventually(async () => {
      if ((await h.state(caller)).phase !== 'dedup_window') throw new Error('not sent yet');
    });
    const repeat = await h.missedCall(caller);
    await eventually(async () => {
      if ((await h.call(repeat)).textBackStatus !== 'skipped') throw new Error('repeat not absorbed yet');
    });
    await h.handle(caller).result();
    return caller;
  },
  /** The caller got through on a later call during the delay. */
  'cancelled-by-answer': async (h) => {
    const caller = '+15125550402';
    await h.missedCall(caller);
    await h.env.sleep('20 seconds');
    await h.handle(caller).signal(callAnsweredSignal, { callSid: 'CA-answered' });
    await h.handle(caller).result();
    return caller;
  },
};

const dataRoot = await mkdtemp(join(tmpdir(), 'mctb-histories-'));
const postgres = await startEmbeddedPostgres({ dataDir: join(dataRoot, 'data'), port: await freePort(), persistent: false });
try {
  await ensureDatabase(postgres.adminUrl, 'histories');
  const h = await startTextBackHarness({
    database: { url: postgres.urlFor('histories'), drop: async () => undefined },
    testServer: await ensureTemporalTestServer(),
  });
  try {
    for (const [name, play] of Object.entries(scenarios)) {
      const caller = await play(h);
      const history = await h.handle(caller).fetchHistory();
      await writeFile(join(historiesDir, `${name}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
      console.log(`recorded ${name} (${history.events?.length ?? 0} events)`);
    }
  } finally {
    await h.stop();
  }
} finally {
  await postgres.stop();
  await rm(dataRoot, { recursive: true, force: true });
}
