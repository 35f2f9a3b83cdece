import { repoRoot } from '@mctb/devstack';
import { createEmptyDatabase } from '@mctb/testkit';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { advanceTo, advanceToInstant } from '../testing/clock.js';
import { eventually, startTextBackHarness, type TextBackHarness } from '../testing/harness.js';
import { waitForOpeningSnapshot } from '../testing/snapshots.js';

const ZONE = 'America/Chicago';

describe('runs keep the snapshot version they started on; hours hold across DST (time-skipping server)', () => {
  let h: TextBackHarness;
  let followUp: string;
  const bodies = async (phone: string) => (await h.outbox(phone)).map((text) => text.body);
  const version = (n: number, followUpText: string) =>
    followUp.replace('  version: 1', `  version: ${n}`).replace(/^ {2}follow_up: .*$/m, `  follow_up: "${followUpText}"`);

  beforeAll(async () => {
    h = await startTextBackHarness({ database: await createEmptyDatabase('automation_pinning'), testServer: inject('temporalTestServer') });
    followUp = await readFile(join(repoRoot, 'snapshots/follow-up-and-callback.yaml'), 'utf8');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('an upgrade while a run waits leaves the run on its version; new calls take the new one', async () => {
    await h.provision(version(1, 'v1 follow-up'));
    await advanceTo(h.env, ZONE, 'tue', '10:00');
    const waiting = '+15125550501';
    await h.missedCall(waiting);
    await h.env.sleep('61 seconds');
    await eventually(async () => expect(await bodies(waiting)).toHaveLength(1));

    await h.provision(version(2, 'v2 follow-up'));
    const later = '+15125550502';
    await h.missedCall(later);
    await h.env.sleep('61 seconds');
    await eventually(async () => expect(await bodies(later)).toHaveLength(1));

    await h.env.sleep('24 hours');
    await eventually(async () => expect(await bodies(waiting)).toEqual([expect.any(String), 'v1 follow-up']));
    await eventually(async () => expect(await bodies(later)).toEqual([expect.any(String), 'v2 follow-up']));
    expect((await h.runs(waiting)).find((run) => run.workflowKey === 'missed_call')).toMatchObject({ snapshotVersion: 1, status: 'completed' });
    expect((await h.runs(later)).find((run) => run.workflowKey === 'missed_call')).toMatchObject({ snapshotVersion: 2, status: 'completed' });
  });

  it('turning the automation off stops a pending run at its next text', async () => {
    await h.provision(version(3, 'v3 follow-up'));
    const phone = '+15125550503';
    await h.missedCall(phone);
    await h.env.sleep('61 seconds');
    await eventually(async () => expect(await bodies(phone)).toHaveLength(1));

    await h.provision(version(4, 'v4 follow-up').replace('  - key: missed_call\n', '  - key: missed_call\n    enabled: false\n'));
    await h.env.sleep('37 hours');
    await eventually(async () => expect((await h.runs(phone))[0]).toMatchObject({ status: 'stopped', reason: expect.stringMatching(/^stopped: automations on call.missed are off in snapshot follow-up-and-callback v4/) }));
    expect(await bodies(phone)).toHaveLength(1);
  });

  it.each([
    ['spring forward', '2027-03-13T18:00:00Z', '2027-03-15T13:00:00Z'],
    ['fall back', '2027-11-06T17:00:00Z', '2027-11-08T14:00:00Z'],
  ])('waits for business hours to open across the %s weekend (Saturday noon to Monday 8:00 Chicago)', async (_, saturdayNoon, mondayEight) => {
    await h.provision(waitForOpeningSnapshot(`wait-for-opening-${saturdayNoon.slice(0, 4)}-${saturdayNoon.slice(5, 7)}`));
    await advanceToInstant(h.env, new Date(saturdayNoon));
    const phone = `+1512555060${saturdayNoon.slice(6, 7)}`;
    await h.missedCall(phone);
    await eventually(async () => expect((await h.state(phone)).currentStep).toBe('until_open'));

    await advanceToInstant(h.env, new Date(new Date(mondayEight).getTime() - 60_000));
    expect(await bodies(phone)).toHaveLength(0);
    await h.env.sleep('2 minutes');
    await eventually(async () => expect(await bodies(phone)).toHaveLength(1));
    const [run] = await h.runs(phone);
    // Sent at the opening (within the moments the send itself takes), not an hour off.
    const sentAt = run!.steps.find((step) => step.stepId === 'morning_text')!.at.getTime();
    expect(sentAt - new Date(mondayEight).getTime()).toBeGreaterThanOrEqual(0);
    expect(sentAt - new Date(mondayEight).getTime()).toBeLessThan(60_000);
  });
});
