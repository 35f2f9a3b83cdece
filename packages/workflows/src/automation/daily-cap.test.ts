import { repoRoot } from '@mctb/devstack';
import { createEmptyDatabase } from '@mctb/testkit';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, startTextBackHarness, type TextBackHarness } from '../testing/harness.js';

// Its own server: the cap counts texts of the local day, so the clock must stay on today.
describe('the daily cap of automated texts (time-skipping server, clock left at today)', () => {
  let h: TextBackHarness;
  beforeAll(async () => {
    h = await startTextBackHarness({ database: await createEmptyDatabase('automation_daily_cap'), testServer: inject('temporalTestServer') });
    const recipe = await readFile(join(repoRoot, 'snapshots/skip-team-and-conversations.yaml'), 'utf8');
    await h.provision(recipe.replace('slug: skip-team-and-conversations', 'slug: capped').replace('exclusions:\n', 'exclusions:\n  dailyCap: 2\n'));
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('texts up to the cap, then records each further missed call as skipped by the cap', async () => {
    const callers = ['+15125550701', '+15125550702', '+15125550703'];
    const callSids: string[] = [];
    for (const caller of callers) callSids.push(await h.missedCall(caller));
    await h.env.sleep('61 seconds');
    await eventually(async () => {
      const calls = await Promise.all(callSids.map((callSid) => h.call(callSid)));
      expect(calls.map((call) => call.textBackStatus).sort()).toEqual(['sent', 'sent', 'skipped']);
    });
    const skipped = (await Promise.all(callSids.map((callSid) => h.call(callSid)))).find((call) => call.textBackStatus === 'skipped');
    expect(skipped!.textBackReason).toBe('excluded: the daily cap of 2 automated texts for this sub-account is reached');
    const texts = (await Promise.all(callers.map((caller) => h.outbox(caller)))).flat();
    expect(texts).toHaveLength(2);
  });
});
