/** Every call ends in exactly one of these (DESIGN §3). */
export const CALL_OUTCOMES = [
  'answered',
  'answered_by_ai',
  'no_answer',
  'declined',
  'voicemail',
  'failed',
  'abandoned',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Twilio's DialCallStatus values for the forwarded leg. */
export const DIAL_CALL_STATUSES = ['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type DialCallStatus = (typeof DIAL_CALL_STATUSES)[number];

export function isDialCallStatus(value: string): value is DialCallStatus {
  return (DIAL_CALL_STATUSES as readonly string[]).includes(value);
}

export interface AbandonedCallPolicy {
  /** Text a caller who hung up while the business's phone rang at least this long. */
  textAfterRingSeconds: number;
}

export const DEFAULT_ABANDONED_POLICY: AbandonedCallPolicy = { textAfterRingSeconds: 6 };

/** Maps the result of forwarding a call (the `<Dial>` action) to an outcome. */
export function classifyDialResult(status: DialCallStatus): CallOutcome {
  switch (status) {
    case 'completed':
    case 'answered':
      return 'answered';
    case 'busy':
      return 'declined';
    case 'no-answer':
      return 'no_answer';
    case 'failed':
      return 'failed';
    case 'canceled':
      return 'abandoned';
  }
}

/**
 * The outcome from the parent call's final status, for a call that ended before any dial result
 * (the caller hung up while it rang): null for statuses that end nothing.
 */
export function classifyEndedCall(callStatus: string): CallOutcome | null {
  // Ended while the business's phone still rang: nobody answered, the caller gave up.
  if (callStatus === 'completed' || callStatus === 'canceled') return 'abandoned';
  if (callStatus === 'busy' || callStatus === 'no-answer' || callStatus === 'failed') return classifyDialResult(callStatus);
  return null;
}

export type TextBackDecision = { textBack: true } | { textBack: false; reason: string };

/** Whether an outcome, on its own, calls for a text back (exclusions come later, in the workflow). */
export function textBackDecisionFor(
  outcome: CallOutcome,
  context: { ringSeconds: number; abandoned?: AbandonedCallPolicy },
): TextBackDecision {
  switch (outcome) {
    case 'answered':
      return { textBack: false, reason: 'answered' };
    case 'answered_by_ai':
      return { textBack: false, reason: 'answered_by_ai' };
    case 'no_answer':
    case 'declined':
    case 'voicemail':
    case 'failed':
      return { textBack: true };
    case 'abandoned': {
      const policy = context.abandoned ?? DEFAULT_ABANDONED_POLICY;
      return context.ringSeconds >= policy.textAfterRingSeconds
        ? { textBack: true }
        : { textBack: false, reason: `abandoned_after_${Math.floor(context.ringSeconds)}s` };
    }
  }
}

/**
 * Later reports may refine an outcome but never undo a human answer: a recording after a
 * missed dial makes it a voicemail, a plugin may say an AI answered. Returns the outcome to keep.
 */
export function refineOutcome(current: CallOutcome | null, reported: CallOutcome): CallOutcome {
  if (current === null) return reported;
  if (current === 'answered') return current;
  if (reported === 'answered_by_ai' || reported === 'answered') return reported;
  if (reported === 'voicemail' && current !== 'answered_by_ai') return reported;
  return current;
}

/** What call intake does once a call has an outcome (see IntakeVerdict in @mctb/db). */
export interface IntakeVerdict {
  decision: 'text_back' | 'skip';
  /** Why no text-back is wanted; null for text_back. */
  reason: string | null;
  /** A signal to the caller's text-back workflow is due: the missed call, or an answer that cancels a pending text. */
  signalDue: boolean;
}

/** Decides from the outcome and the caller ID whether the call gets a text-back workflow. */
export function intakeVerdictFor(call: {
  outcome: CallOutcome;
  callerTextable: boolean;
  untextableReason: string | null;
  ringSeconds: number | null;
}): IntakeVerdict {
  if (call.outcome === 'answered') return { decision: 'skip', reason: 'answered', signalDue: call.callerTextable };
  const decision = textBackDecisionFor(call.outcome, { ringSeconds: call.ringSeconds ?? 0 });
  if (!decision.textBack) return { decision: 'skip', reason: decision.reason, signalDue: false };
  if (!call.callerTextable) return { decision: 'skip', reason: `untextable caller ID: ${call.untextableReason ?? 'unknown'}`, signalDue: false };
  return { decision: 'text_back', reason: null, signalDue: true };
}
