import { classifyForwardedLeg, type AnsweredBy, type CallScreening } from './forwarded-leg.js';
import type { CallOutcome, DialCallStatus } from './outcomes.js';

/** A call as the provider (Twilio's Calls API) reports it, with the forwarded legs it started. */
export interface ProviderCall {
  status: string;
  durationSeconds: number | null;
  /** The `<Dial>` legs (child calls), oldest first. */
  legs: { status: string; durationSeconds: number | null; answeredBy: AnsweredBy | null }[];
}

const IN_PROGRESS = new Set(['queued', 'initiated', 'ringing', 'in-progress']);

export type ProviderCallOutcome =
  | { ended: false }
  | { ended: true; outcome: CallOutcome; detail: string | null; ringSeconds: number | null; connectedSeconds: number | null };

/**
 * The outcome of a call whose dial result never reached us, from what the provider knows: still
 * going, or how its forwarded leg ended (screened exactly as the dial result would have been).
 */
export function classifyProviderCall(
  call: ProviderCall,
  known: { answeredBy: AnsweredBy | null; accepted: boolean; screening: CallScreening },
): ProviderCallOutcome {
  if (IN_PROGRESS.has(call.status)) return { ended: false };
  const leg = call.legs.at(-1);
  if (!leg) {
    // Never forwarded: the caller hung up first, or forwarding could not start.
    const outcome: CallOutcome = call.status === 'failed' ? 'failed' : 'abandoned';
    return { ended: true, outcome, detail: 'settled from the provider: the call was never forwarded', ringSeconds: call.durationSeconds, connectedSeconds: null };
  }
  if (IN_PROGRESS.has(leg.status)) return { ended: false };
  const dialCallStatus: DialCallStatus = leg.status === 'completed' ? 'completed' : isDialStatus(leg.status) ? leg.status : 'failed';
  const classified = classifyForwardedLeg({
    dialCallStatus,
    connectedSeconds: dialCallStatus === 'completed' ? leg.durationSeconds : null,
    answeredBy: leg.answeredBy ?? known.answeredBy,
    accepted: known.accepted,
    screening: known.screening,
  });
  return {
    ended: true,
    outcome: classified.outcome,
    detail: classified.detail ?? 'settled from the provider: no dial result arrived',
    ringSeconds: dialCallStatus === 'completed' ? null : call.durationSeconds,
    connectedSeconds: dialCallStatus === 'completed' ? leg.durationSeconds : null,
  };
}

function isDialStatus(status: string): status is DialCallStatus {
  return status === 'busy' || status === 'no-answer' || status === 'failed' || status === 'canceled';
}
