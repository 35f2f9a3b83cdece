import { TextBackStore, type ProvisionedSnapshot } from '@mctb/db';
import type { TextBackPlan } from '@mctb/domain';
import { textBackPlanOf } from '@mctb/snapshots';
import type { ActivityDeps } from './deps.js';

export type LoadedPlan = (TextBackPlan & { enabled: true }) | { enabled: false; reason: string };

/** The text-back settings the sub-account's provisioned snapshot pins for this run. */
export async function loadTextBackPlan(deps: ActivityDeps, input: { subAccountId: string }): Promise<LoadedPlan> {
  return planOf(await new TextBackStore(deps.orm).provisioned(input.subAccountId));
}

export function planOf(provisioned: ProvisionedSnapshot | null): LoadedPlan {
  if (!provisioned) return { enabled: false, reason: 'not provisioned: no snapshot runs in this sub-account' };
  const plan = textBackPlanOf(provisioned.definition);
  if (!plan.enabled) return { enabled: false, reason: `disabled: text-back is off in snapshot ${provisioned.slug} v${provisioned.version}` };
  return { ...plan, enabled: true };
}
