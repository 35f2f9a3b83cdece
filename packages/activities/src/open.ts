import { TextBackStore, type ProvisionedSnapshot } from '@mctb/db';
import type { MissedCall } from '@mctb/domain';
import type { ActivityDeps } from './deps.js';
import { planOf, type LoadedPlan } from './plan.js';
import { prepareTextBack, type PreparedTextBack } from './prepare.js';
import { storeUnstoredCalls } from './store-unstored-call.js';

export interface OpenTextBackInput {
  subAccountId: string;
  callerPhone: string;
  triggerCallSid: string;
  /** Calls that arrived so far; those intake could not store are stored first. */
  arrivals: MissedCall[];
  /** The workflow's clock (epoch ms). */
  asOf: number;
}

export interface OpenedTextBack {
  plan: LoadedPlan;
  /** The text, when the plan sends at once (no delay to wait out first). */
  prepared: PreparedTextBack | null;
}

/**
 * The first step of a text-back, in one trip to the worker: store what intake could not, load the
 * pinned plan, and when there is no delay, prepare the text right away (the plan and the text come
 * from the same read).
 */
export async function openTextBack(deps: ActivityDeps, input: OpenTextBackInput): Promise<OpenedTextBack> {
  await storeUnstoredCalls(deps, input.subAccountId, input.arrivals);
  const store = new TextBackStore(deps.orm);
  const context = await store.context(input.subAccountId, input.triggerCallSid);
  const provisioned: ProvisionedSnapshot | null = context ? context.provisioned : await store.provisioned(input.subAccountId);
  const plan = planOf(provisioned);
  if (!plan.enabled || plan.delaySeconds > 0) return { plan, prepared: null };
  const prepared = await prepareTextBack(
    deps,
    { subAccountId: input.subAccountId, callerPhone: input.callerPhone, triggerCallSid: input.triggerCallSid, dedupWindowSeconds: plan.dedupWindowSeconds, asOf: input.asOf },
    context,
  );
  return { plan, prepared };
}
