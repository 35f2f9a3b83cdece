import type { TextBackPlan } from '@mctb/domain';
import type { SnapshotDefinition } from './types.js';

/** The text-back settings a sub-account gets from this snapshot. */
export function textBackPlanOf(snapshot: SnapshotDefinition): TextBackPlan {
  const { enabled, delaySeconds, dedupWindowSeconds } = snapshot.textBack;
  return { enabled, delaySeconds, dedupWindowSeconds };
}
