import { applyProvisioningTarget, finishProvisioningRun, runToApply, type TargetOutcome } from '@mctb/control';
import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '../deps.js';

export interface ProvisionTargetsInput {
  runId: string;
  /** Target indexes [from, to) of the run, applied one after another. */
  from: number;
  to: number;
}

export type ProvisionedCounts = Record<TargetOutcome, number>;

/**
 * Applies a slice of a provisioning run's targets. Each target is done in its own transaction that
 * also records its result, so a retry (or the workflow re-running after a crash) skips what is done.
 * A heartbeat after each lets the server notice a dead worker within the heartbeat timeout.
 */
export async function provisionTargets(deps: ActivityDeps, input: ProvisionTargetsInput): Promise<ProvisionedCounts> {
  if (!deps.provisioning) throw new Error('this worker was started without provisioning dependencies (number claims, provider numbers)');
  const counts: ProvisionedCounts = { applied: 0, unchanged: 0, failed: 0, already_done: 0 };
  const run = await runToApply(deps.orm.em.fork(), input.runId);
  for (let index = input.from; index < input.to; index++) {
    const outcome = await applyProvisioningTarget(deps.orm.em.fork(), { plugins: deps.plugins, ...deps.provisioning }, run, index);
    counts[outcome]++;
    Context.current().heartbeat(index);
  }
  return counts;
}

export async function finishProvisioning(deps: ActivityDeps, input: { runId: string }): Promise<void> {
  await finishProvisioningRun(deps.orm.em.fork(), input.runId);
}
