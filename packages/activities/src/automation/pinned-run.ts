import type { BusinessHours, DayInterval } from '@mctb/business-hours';
import type { SendSmsStep, SnapshotExclusions, TriggerType, Workflow, WorkflowStep } from '@mctb/snapshots';
import type { PinnedPlugin } from '../plugins/installed-releases.js';
import type { PreparedSms } from './prepare-sms.js';

/**
 * What a run reads from its snapshot, resolved once when it opens and returned from a local
 * activity, so the run's history holds it: provisioning a newer version later never changes a run
 * in flight. Plain JSON.
 */
export interface PinnedRun {
  /** Deterministic: the workflow id and the trigger (a retried or re-driven open finds the same run). */
  runId: string;
  subAccountId: string;
  snapshot: { slug: string; version: number };
  /** The workflow this run executes. */
  workflowKey: string;
  /** It and every workflow `start_workflow` reaches from it. */
  workflows: Record<string, Workflow>;
  /** The templates those workflows use. */
  templates: Record<string, string>;
  customValues: Record<string, string>;
  /** The business's zone: its hours' own zone, else the sub-account's. */
  zone: string;
  businessHours: BusinessHours | null;
  quietHours: DayInterval | null;
  exclusions: SnapshotExclusions;
  contact: { id: string; phone: string; isNew: boolean };
  /**
   * What started the run. `origin` is the trigger of the first run in a chain (a run `start_workflow`
   * began carries its parent's), and the missed call behind it, if any.
   */
  trigger: {
    type: TriggerType | 'start_workflow';
    origin: TriggerType;
    /** The CallSid, MessageSid or tag that started the chain. */
    ref: string | null;
    callSid: string | null;
    callId: string | null;
    outcome: string | null;
    parentRunId: string | null;
    /** The text that started the chain (message.received), for `{{ message.body }}`. */
    messageBody?: string;
  };
  businessName: string;
  /** The business's number the texts come from, and the provider that carries them. */
  from: string;
  provider: string;
  /** An installed plugin wants to see each text before it goes (textback.beforeSend). */
  beforeSendHooks: boolean;
  /**
   * The plugins installed when the run opened, with their hooks' and steps' budgets. Absent in runs
   * that opened before plugins were pinned (they ask runBeforeSendHooks, as they did).
   */
  plugins?: PinnedPlugin[];
  /** Epoch ms, workflow time. */
  startedAt: number;
}

/** Opening a run for a missed call: the run, or why none starts (recorded on the call). */
export type OpenedRun =
  /** `firstText`: the workflow texts at once, so its first text was prepared in the same trip. */
  | { kind: 'run'; pinned: PinnedRun; dedupWindowSeconds: number; firstText: { stepId: string; prepared: PreparedSms } | null }
  | { kind: 'none'; status: 'skipped' | 'failed'; reason: string };

/** The workflow's first step when it is a text sent at once (only zero waits before it), else null. */
export function immediateText(steps: readonly WorkflowStep[]): SendSmsStep | null {
  for (const step of steps) {
    if (step.kind === 'send_sms') return step;
    if (step.kind !== 'wait' || step.seconds > 0) return null;
  }
  return null;
}
