import { Provisioning } from '@mctb/db';
import type { TextBackPlan } from '@mctb/domain';
import { textBackPlanOf } from '@mctb/snapshots';
import type { ActivityDeps } from './deps.js';

export type LoadedPlan = (TextBackPlan & { enabled: true }) | { enabled: false; reason: string };

/** The text-back settings the sub-account's provisioned snapshot pins for this run. */
export async function loadTextBackPlan(deps: ActivityDeps, input: { subAccountId: string }): Promise<LoadedPlan> {
  const em = deps.orm.em.fork();
  const provisioning = await em.getRepository(Provisioning).forSubAccount(input.subAccountId);
  if (!provisioning) return { enabled: false, reason: 'not provisioned: no snapshot runs in this sub-account' };
  const plan = textBackPlanOf(provisioning.snapshotVersion.definition);
  if (!plan.enabled) {
    const { snapshot, version } = provisioning.snapshotVersion;
    return { enabled: false, reason: `disabled: text-back is off in snapshot ${snapshot.slug} v${version}` };
  }
  return { ...plan, enabled: true };
}
