import { applyProvisioningTarget, finishProvisioningRun, runToApply, type TargetOutcome } from '@mctb/control';
import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '../deps.js';
import { announcePluginEvent } from '../plugins/plugin-events.js';

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
  await announceProvisioned(deps, run.id, input, { slug: run.version.slug, version: run.version.number });
  return counts;
}

/**
 * `subaccount.provisioned` for the slice's applied targets whose sub-account has a plugin with that
 * hook. Asked after the slice whatever this attempt did, so a retry after a crash still announces
 * what an earlier attempt applied; each target's event workflow starts once.
 */
async function announceProvisioned(deps: ActivityDeps, runId: string, slice: ProvisionTargetsInput, snapshot: { slug: string; version: number }): Promise<void> {
  const rows = await deps.orm.em.getConnection().execute<{ index: number; sub_account_id: string }[]>(
    `select t.index, t.sub_account_id from provisioning_targets t
      where t.run_id = ? and t.index >= ? and t.index < ? and t.status = 'applied'
        and exists (select 1 from plugin_installations i
                      join plugin_versions v on v.plugin_id = i.plugin_id and v.version = i.plugin_version
                     where i.sub_account_id = t.sub_account_id and i.enabled and v.manifest->'hooks'->'subaccount.provisioned' is not null)`,
    [runId, slice.from, slice.to],
  );
  for (const row of rows) {
    await announcePluginEvent(deps, { subAccountId: row.sub_account_id, eventKey: `${runId}/${row.index}`, subject: { hook: 'subaccount.provisioned', snapshot } });
  }
}

export async function finishProvisioning(deps: ActivityDeps, input: { runId: string }): Promise<void> {
  await finishProvisioningRun(deps.orm.em.fork(), input.runId);
}
