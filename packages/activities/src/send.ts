import { TextBackStore } from '@mctb/db';
import type { MissedCall, TextBackStatus } from '@mctb/domain';
import { ProviderNotConfiguredError, type SendOutcome, type SendRequest } from '@mctb/sms';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from './deps.js';
import { recordRunProgress, type StepEntry } from './automation/run-progress.js';
import { storeUnstoredCalls } from './store-unstored-call.js';

/**
 * A run whose last step is this text: the send records the run completed, with the steps noted
 * since its last report, sparing the workflow one more trip to the database.
 */
export interface RunCompletion {
  runId: string;
  stepId: string;
  steps: StepEntry[];
  /** The workflow's clock when it sent (epoch ms): run and step times are workflow times. */
  at: number;
}

/**
 * Sends once per intent id, however often Temporal retries this activity (see SmsSender). With
 * `recordFor`, the call's text-back status is recorded in the same step ("sent", or "failed" with
 * the provider's refusal), saving the workflow a round trip; with `completesRun`, the run too.
 */
export async function sendTextBack(deps: ActivityDeps, request: SendRequest & { recordFor?: string; completesRun?: RunCompletion }): Promise<SendOutcome> {
  const { recordFor, completesRun, ...send } = request;
  let outcome: SendOutcome;
  try {
    outcome = await deps.sender.send(send);
  } catch (error) {
    // Retrying cannot fix a missing provider; fail the step at once with the reason.
    if (error instanceof ProviderNotConfiguredError) throw ApplicationFailure.nonRetryable(error.message, error.name);
    throw error;
  }
  if (recordFor !== undefined) {
    await recordTextBackStatus(deps, {
      callSids: [recordFor],
      status: outcome.kind === 'sent' ? 'sent' : 'failed',
      reason: outcome.kind === 'sent' ? null : `refused: ${outcome.reason}`,
    });
  }
  if (completesRun !== undefined) {
    const { at } = completesRun;
    const sent: StepEntry = { stepId: completesRun.stepId, kind: 'send_sms', status: 'done', detail: outcome.kind === 'sent' ? `sent ${outcome.messageId}` : null, at };
    if (outcome.kind !== 'sent') Object.assign(sent, { status: 'failed', detail: `refused: ${outcome.reason}` });
    await recordRunProgress(deps, { runId: completesRun.runId, status: 'completed', currentStep: null, reason: null, at, steps: [...completesRun.steps, sent] });
  }
  return outcome;
}

/** Records where the text-back stands for calls that arrived (storing those intake could not first). */
export async function settleCalls(
  deps: ActivityDeps,
  input: { subAccountId: string; calls: MissedCall[]; status: Exclude<TextBackStatus, 'pending'>; reason: string | null },
): Promise<void> {
  await storeUnstoredCalls(deps, input.subAccountId, input.calls);
  await recordTextBackStatus(deps, { callSids: input.calls.map((call) => call.callSid), status: input.status, reason: input.reason });
}

/**
 * Stores where each call's text-back stands, with the reason (skipped: dedup, vetoed, ...). The
 * text-back workflow is the only writer of this status (call intake records its own decision apart).
 */
export async function recordTextBackStatus(
  deps: ActivityDeps,
  input: { callSids: string[]; status: Exclude<TextBackStatus, 'pending'>; reason: string | null },
): Promise<void> {
  await new TextBackStore(deps.orm).recordStatus(input.callSids, input.status, input.reason);
  deps.onTextBackStatus?.(input.status, input.reason, input.callSids.length);
}
