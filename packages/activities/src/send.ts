import { Call } from '@mctb/db';
import type { TextBackStatus } from '@mctb/domain';
import { ProviderNotConfiguredError, type SendOutcome, type SendRequest } from '@mctb/sms';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from './deps.js';

/** Sends once per intent id, however often Temporal retries this activity (see SmsSender). */
export async function sendTextBack(deps: ActivityDeps, request: SendRequest): Promise<SendOutcome> {
  try {
    return await deps.sender.send(request);
  } catch (error) {
    // Retrying cannot fix a missing provider; fail the step at once with the reason.
    if (error instanceof ProviderNotConfiguredError) throw ApplicationFailure.nonRetryable(error.message, error.name);
    throw error;
  }
}

/**
 * Stores where each call's text-back stands, with the reason (skipped: dedup, vetoed, ...). The
 * text-back workflow is the only writer of this status (call intake records its own decision apart).
 */
export async function recordTextBackStatus(
  deps: ActivityDeps,
  input: { callSids: string[]; status: Exclude<TextBackStatus, 'pending'>; reason: string | null },
): Promise<void> {
  if (input.callSids.length === 0) return;
  // A text that went out stays "sent": a re-driven run that finds the call again can't undo it.
  await deps.orm.em
    .fork()
    .nativeUpdate(
      Call,
      { callSid: { $in: input.callSids }, $or: [{ textBackStatus: null }, { textBackStatus: { $ne: 'sent' } }] },
      { textBackStatus: input.status, textBackReason: input.reason },
    );
}
