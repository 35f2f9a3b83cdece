import { isTwilioRestError } from './errors.js';
import type { Twilio } from './client.js';

/** A call and the legs it dialled, as Twilio's Calls API reports them. */
export interface TwilioCallWithLegs {
  status: string;
  durationSeconds: number | null;
  legs: { status: string; durationSeconds: number | null; answeredBy: string | null }[];
}

/**
 * Looks a call up at Twilio with its `<Dial>` legs (child calls), oldest leg first; null when Twilio
 * has no such call. Other failures throw, so the caller retries later.
 */
export async function fetchCallWithLegs(client: Twilio, callSid: string): Promise<TwilioCallWithLegs | null> {
  let call;
  try {
    call = await client.calls(callSid).fetch();
  } catch (error) {
    if (isTwilioRestError(error) && error.status === 404) return null;
    throw error;
  }
  const legs = await client.calls.list({ parentCallSid: callSid, limit: 20 });
  return {
    status: call.status,
    durationSeconds: seconds(call.duration),
    legs: legs
      .sort((a, b) => (a.dateCreated?.getTime() ?? 0) - (b.dateCreated?.getTime() ?? 0))
      .map((leg) => ({ status: leg.status, durationSeconds: seconds(leg.duration), answeredBy: leg.answeredBy ?? null })),
  };
}

function seconds(duration: string | null | undefined): number | null {
  if (duration === null || duration === undefined || !/^\d+$/.test(duration)) return null;
  return Number(duration);
}
