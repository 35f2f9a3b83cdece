import { Call } from '@mctb/db';
import type { TextBackStatus } from '@mctb/domain';
import type { SendOutcome, SendRequest } from '@mctb/sms';
import type { ActivityDeps } from './deps.js';

/** Sends once per intent id, however often Temporal retries this activity (see SmsSender). */
export function sendTextBack(deps: ActivityDeps, request: SendRequest): Promise<SendOutcome> {
  return deps.sender.send(request);
}

/** Stores where each call's text-back stands, with the reason (skipped: dedup, vetoed, ...). */
export async function recordTextBackStatus(
  deps: ActivityDeps,
  input: { callSids: string[]; status: TextBackStatus; reason: string | null },
): Promise<void> {
  if (input.callSids.length === 0) return;
  await deps.orm.em
    .fork()
    .nativeUpdate(Call, { callSid: { $in: input.callSids } }, { textBackStatus: input.status, textBackReason: input.reason });
}
