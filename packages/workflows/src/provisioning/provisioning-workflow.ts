import { proxyActivities } from '@temporalio/workflow';
import type { ProvisionedCounts, TextBackActivities } from '@mctb/activities';

/**
 * Provisioning's activities have their own task queue (polled by an activities-only worker with a
 * few slots), so a big push never holds up a missed call's text. The workflow itself is a handful of
 * cheap tasks and runs on the text-back queue, in the worker's one workflow sandbox.
 */
export const PROVISIONING_TASK_QUEUE = 'provisioning';

export interface ProvisioningWorkflowInput {
  runId: string;
  total: number;
  /** Most targets applied at once. */
  concurrency: number;
}

/** Most targets one activity applies: small enough that a crash repeats little, big enough to keep the history short. */
const MAX_SLICE = 25;

// Only our own database (and the provider's number settings, idempotent) is touched: retried without
// an attempt cap, a dead worker noticed by the missing heartbeat. A target's own problems are
// recorded as its result, never thrown.
const provisioning = proxyActivities<TextBackActivities>({
  taskQueue: PROVISIONING_TASK_QUEUE,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Works through a provisioning run (recorded by requestProvisioning, one row per target): slices of
 * targets in request order, `concurrency` of them at a time, then marks the run completed. A target
 * that fails doesn't stop the others; its row says why.
 */
export async function provisioningWorkflow(input: ProvisioningWorkflowInput): Promise<ProvisionedCounts> {
  const size = Math.min(MAX_SLICE, Math.max(1, Math.ceil(input.total / (input.concurrency * 4))));
  const slices: { from: number; to: number }[] = [];
  for (let from = 0; from < input.total; from += size) slices.push({ from, to: Math.min(input.total, from + size) });

  const totals: ProvisionedCounts = { applied: 0, unchanged: 0, failed: 0, already_done: 0 };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < slices.length) {
      const slice = slices[next++] as { from: number; to: number };
      const counts = await provisioning.provisionTargets({ runId: input.runId, ...slice });
      for (const key of Object.keys(totals) as (keyof ProvisionedCounts)[]) totals[key] += counts[key];
    }
  };
  await Promise.all(Array.from({ length: Math.min(input.concurrency, slices.length) }, lane));
  await provisioning.finishProvisioning({ runId: input.runId });
  return totals;
}

/** One workflow per run: starting it again finds the one already started. */
export function provisioningWorkflowId(runId: string): string {
  return `provisioning-${runId}`;
}
