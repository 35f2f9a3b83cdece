import { AutomationStore, type RunStatus, type StepRecord } from '@mctb/db';
import type { ActivityDeps } from '../deps.js';
import type { PinnedRun } from './pinned-run.js';

/** A step's record as the workflow keeps it (times in workflow epoch ms, plain JSON). */
export interface StepEntry {
  stepId: string;
  kind: string;
  status: StepRecord['status'];
  detail: string | null;
  at: number;
}

export interface RunProgress {
  runId: string;
  status: RunStatus;
  currentStep: string | null;
  reason: string | null;
  at: number;
  steps: StepEntry[];
}

/** Stores where a run stands and the steps it went through since the last report (the worker is the only writer). */
export async function recordRunProgress(deps: ActivityDeps, progress: RunProgress): Promise<void> {
  await new AutomationStore(deps.orm).recordProgress(progress.runId, {
    status: progress.status,
    currentStep: progress.currentStep,
    reason: progress.reason,
    at: new Date(progress.at),
    steps: latestPerStep(progress.steps).map((step) => ({ ...step, at: new Date(step.at) })),
  });
}

/** A step may be noted twice between reports (waiting, then done): the later entry stands. */
function latestPerStep(steps: readonly StepEntry[]): StepEntry[] {
  return [...new Map(steps.map((step) => [step.stepId, step])).values()];
}

/** Records a run as it starts, from what it pins (once: a retried activity finds the row). */
export async function recordRunStart(deps: ActivityDeps, pinned: PinnedRun, temporalWorkflowId: string): Promise<void> {
  await new AutomationStore(deps.orm).startRun({
    id: pinned.runId,
    subAccountId: pinned.subAccountId,
    contactId: pinned.contact.id,
    workflowKey: pinned.workflowKey,
    snapshotSlug: pinned.snapshot.slug,
    snapshotVersion: pinned.snapshot.version,
    triggerType: pinned.trigger.type,
    triggerRef: pinned.trigger.ref,
    temporalWorkflowId,
    parentRunId: pinned.trigger.parentRunId,
    startedAt: new Date(pinned.startedAt),
  });
}

/** Records a run that `start_workflow` began (its pinned input came from the parent's history). */
export async function recordChildRun(deps: ActivityDeps, input: { pinned: PinnedRun; temporalWorkflowId: string }): Promise<void> {
  await recordRunStart(deps, input.pinned, input.temporalWorkflowId);
}
