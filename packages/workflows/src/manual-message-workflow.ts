import { ActivityFailure, ApplicationFailure, getExternalWorkflowHandle } from '@temporalio/workflow';
import { send } from './activity-proxies.js';
import { teamRepliedSignal } from './textback-signals.js';

/** A text a person sends from the control plane: a test message, or a team member's reply in a conversation. */
export interface ManualMessageInput {
  /** The send's deterministic id (see manualMessageIntentId in @mctb/control): a second run of the same request finds it sent. */
  intentId: string;
  subAccountId: string;
  /** Whose conversation it lands in; null for a test message to a number that is no contact. */
  contactId: string | null;
  from: string;
  to: string;
  body: string;
  provider: string;
  /**
   * A team member's reply: the contact's text-back/automation run (textBackWorkflowId) is told
   * before the text goes, so a pending text-back is cancelled rather than racing the reply.
   */
  teamReplyTo?: string | null;
}

export type ManualMessageResult =
  | { kind: 'sent'; messageId: string; alreadySent: boolean }
  | { kind: 'refused'; messageId: string; reason: string }
  | { kind: 'failed'; reason: string };

/**
 * Sends one text a person asked for, exactly once: the workflow id comes from the sub-account and
 * the client's idempotency key, so a retried request finds this run (or its result), and the send
 * goes through the same intent-keyed sender as every text-back.
 */
export async function manualMessageWorkflow(input: ManualMessageInput): Promise<ManualMessageResult> {
  if (input.teamReplyTo) {
    try {
      // The signal carries the reply's send intent id: the message row is stored by the send that follows.
      await getExternalWorkflowHandle(input.teamReplyTo).signal(teamRepliedSignal, { messageId: input.intentId });
    } catch {
      // No run is open for this contact: nothing is pending to cancel.
    }
  }
  try {
    const outcome = await send.sendTextBack({
      intentId: input.intentId,
      subAccountId: input.subAccountId,
      contactId: input.contactId,
      callId: null,
      from: input.from,
      to: input.to,
      body: input.body,
      provider: input.provider,
    });
    return outcome.kind === 'sent'
      ? { kind: 'sent', messageId: outcome.messageId, alreadySent: outcome.alreadySent }
      : { kind: 'refused', messageId: outcome.messageId, reason: outcome.reason };
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure || error.cause instanceof Error ? error.cause.message : 'unknown';
    return { kind: 'failed', reason: `send failed after retries: ${cause}` };
  }
}
