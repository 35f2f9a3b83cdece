import { TextBackStore } from '@mctb/db';
import type { MissedCall, TextBackStatus } from '@mctb/domain';
import { ProviderNotConfiguredError, type SendOutcome, type SendRequest } from '@mctb/sms';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from './deps.js';
import { storeUnstoredCalls } from './store-unstored-call.js';

/**
 * Sends once per intent id, however often Temporal retries this activity (see SmsSender). With
 * `recordFor`, the call's text-back status is recorded in the same step ("sent", or "failed" with
 * the provider's refusal), saving the workflow a round trip.
 */
export async function sendTextBack(deps: ActivityDeps, request: SendRequest & { recordFor?: string }): Promise<SendOutcome> {
  const { recordFor, ...send } = request;
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
}
