/** What the automation interpreter stores (see AutomationStore): runs, their steps, tasks, contact facts. */

export type RunStatus = 'running' | 'completed' | 'stopped' | 'excluded' | 'failed';
export type StepStatus = 'done' | 'skipped' | 'failed' | 'waiting';

export interface StepRecord {
  stepId: string;
  kind: string;
  status: StepStatus;
  detail: string | null;
  at: Date;
}

export interface RunStart {
  /** Deterministic (chosen by the workflow), so a retried activity names the same run. */
  id: string;
  subAccountId: string;
  contactId: string | null;
  workflowKey: string;
  snapshotSlug: string;
  snapshotVersion: number;
  triggerType: string;
  /** What started it, e.g. the CallSid. */
  triggerRef: string | null;
  temporalWorkflowId: string;
  parentRunId: string | null;
  startedAt: Date;
}

export interface RunProgress {
  status: RunStatus;
  currentStep: string | null;
  reason: string | null;
  at: Date;
  steps: StepRecord[];
}

export interface AutomationRunView
  extends Pick<RunStart, 'id' | 'workflowKey' | 'snapshotSlug' | 'snapshotVersion' | 'triggerType' | 'triggerRef' | 'startedAt'>,
    Pick<RunProgress, 'status' | 'currentStep' | 'reason'> {
  updatedAt: Date;
  endedAt: Date | null;
  /** Oldest first. */
  steps: StepRecord[];
}

export interface NewTask {
  runId: string;
  stepId: string;
  subAccountId: string;
  contactId: string | null;
  title: string;
  dueAt: Date;
  assignee: string | null;
}

export interface TaskView {
  id: string;
  contactId: string | null;
  runId: string | null;
  stepId: string | null;
  title: string;
  dueAt: Date;
  assignee: string | null;
  status: 'open' | 'done';
  createdAt: Date;
  completedAt: Date | null;
}

/** What an automation's conditions read about a contact. */
export interface ContactFacts {
  tags: string[];
  firstName: string;
  lastName: string;
  phone: string;
  createdAt: Date;
  optedOutAt: Date | null;
  lastInboundAt: Date | null;
  lastOutboundAt: Date | null;
}
