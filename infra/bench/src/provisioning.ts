import { repoRoot } from '@mctb/devstack';
import { graphqlClient } from '@mctb/testkit';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HOT_NUMBER, WAITING_NUMBER, type BenchStack } from './bench-stack.js';

export interface ProvisioningFigures {
  targets: number;
  /** Seconds from the request to the run completed: every target a new sub-account, its number configured at the stand-in. */
  firstSeconds: number;
  /** The same push again under a new key: every target found unchanged. */
  rerunSeconds: number;
  applied: number;
  unchanged: number;
  failed: number;
}

/**
 * One snapshot into `targets` new sub-accounts through GraphQL as an agency does it (a run on the
 * worker's provisioning queue, numbers claimed and pointed at the gateway at the Twilio stand-in),
 * then the same push again, timed from the request to the run completed.
 */
export async function provisioningBench(stack: BenchStack, targets: number): Promise<ProvisioningFigures> {
  const graphql = graphqlClient(stack.controlPlaneUrl, stack.agencyApiKey);
  const number = (i: number) => `+1838${String(2_000_000 + i).padStart(7, '0')}`;
  // The agency bought its numbers (and the bench's own numbers stay sendable: an account holding numbers sends only from them).
  for (const held of [HOT_NUMBER, WAITING_NUMBER]) stack.twilio.addIncomingNumber({ phoneNumber: held });
  for (let i = 0; i < targets; i++) stack.twilio.addIncomingNumber({ phoneNumber: number(i) });
  const yaml = (await readFile(join(repoRoot, 'snapshots/follow-up-and-callback.yaml'), 'utf8')).replace('slug: follow-up-and-callback', 'slug: bench-push');
  await graphql(`mutation ($yaml: String!) { importSnapshot(yaml: $yaml) { __typename } }`, { yaml });
  const rows = Array.from({ length: targets }, (_, i) => ({
    newSubAccount: { name: `Bench client ${i}`, timeZone: 'America/Chicago', twilioNumber: number(i), forwardingNumber: '+15125550199' },
    customValues: [{ key: 'booking_link', value: `https://book.example/client-${i}` }],
  }));

  const push = async (key: string) => {
    const started = performance.now();
    const { startProvisioning } = await graphql<{ startProvisioning: { run?: { id: string }; message?: string } }>(
      `mutation ($input: StartProvisioningInput!) { startProvisioning(input: $input) { ... on StartProvisioningPayload { run { id } } ... on Error { message } } }`,
      { input: { idempotencyKey: key, snapshot: { slug: 'bench-push' }, targets: rows, concurrency: 8 } },
    );
    if (!startProvisioning.run) throw new Error(`provisioning refused: ${startProvisioning.message}`);
    for (;;) {
      const { provisioningRun: run } = await graphql<{ provisioningRun: { status: string; applied: number; unchanged: number; failed: number } }>(
        `query ($id: ID!) { provisioningRun(id: $id) { status applied unchanged failed } }`,
        { id: startProvisioning.run.id },
      );
      if (run.status === 'COMPLETED') return { seconds: (performance.now() - started) / 1000, ...run };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const first = await push('bench-first');
  const rerun = await push('bench-rerun');
  return { targets, firstSeconds: first.seconds, rerunSeconds: rerun.seconds, applied: first.applied, unchanged: rerun.unchanged, failed: first.failed + rerun.failed };
}
