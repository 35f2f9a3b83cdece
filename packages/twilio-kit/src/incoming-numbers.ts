import type { Twilio } from './client.js';
import { isTwilioRestError } from './errors.js';

/** A number an account holds at Twilio (IncomingPhoneNumbers), with what it can do and whom it calls. */
export interface IncomingNumber {
  /** PN… */
  sid: string;
  accountSid: string;
  /** E.164. */
  phoneNumber: string;
  voice: boolean;
  sms: boolean;
  voiceUrl: string | null;
  voiceMethod: string | null;
  statusCallback: string | null;
  statusCallbackMethod: string | null;
  smsUrl: string | null;
  smsMethod: string | null;
}

/** The URLs Twilio calls for a number; every one is POSTed to. */
export interface IncomingNumberUrls {
  voiceUrl: string;
  statusCallback: string;
  smsUrl: string;
}

type Instance = Awaited<ReturnType<Twilio['incomingPhoneNumbers']['list']>>[number];

function toIncomingNumber(instance: Instance): IncomingNumber {
  return {
    sid: instance.sid,
    accountSid: instance.accountSid,
    phoneNumber: instance.phoneNumber,
    voice: instance.capabilities?.voice === true,
    sms: instance.capabilities?.sms === true,
    voiceUrl: instance.voiceUrl || null,
    voiceMethod: instance.voiceMethod || null,
    statusCallback: instance.statusCallback || null,
    statusCallbackMethod: instance.statusCallbackMethod || null,
    smsUrl: instance.smsUrl || null,
    smsMethod: instance.smsMethod || null,
  };
}

/**
 * The number in the client's account, or null when the account does not hold it. Twilio's
 * PhoneNumber filter matches patterns (part of a number), so only an exact match counts.
 */
export async function findIncomingNumber(client: Twilio, e164: string): Promise<IncomingNumber | null> {
  const found = await client.incomingPhoneNumbers.list({ phoneNumber: e164, limit: 50 });
  const exact = found.find((instance) => instance.phoneNumber === e164);
  return exact ? toIncomingNumber(exact) : null;
}

/** Points the number's voice, status and SMS webhooks at these URLs (POST); setting the same twice is fine. */
export async function setIncomingNumberUrls(client: Twilio, sid: string, urls: IncomingNumberUrls): Promise<IncomingNumber> {
  const updated = await client.incomingPhoneNumbers(sid).update({
    voiceUrl: urls.voiceUrl,
    voiceMethod: 'POST',
    statusCallback: urls.statusCallback,
    statusCallbackMethod: 'POST',
    smsUrl: urls.smsUrl,
    smsMethod: 'POST',
  });
  return toIncomingNumber(updated);
}

/** What checking a SID and token against Twilio found. */
export type AccountCheck =
  | { ok: true; accountSid: string; friendlyName: string; status: string }
  /** Twilio refused the credentials (401) or does not know the account (404). */
  | { ok: false; reason: 'rejected'; status: number }
  /** The account exists but is suspended or closed. */
  | { ok: false; reason: 'inactive'; status: string };

/**
 * Fetches the client's own account: proves the SID and token are valid and the account active.
 * Other failures (timeouts, 5xx) throw: nothing is known about the credentials.
 */
export async function checkAccount(client: Twilio): Promise<AccountCheck> {
  try {
    const account = await client.api.v2010.accounts(client.accountSid).fetch();
    if (account.status !== 'active') return { ok: false, reason: 'inactive', status: account.status };
    return { ok: true, accountSid: account.sid, friendlyName: account.friendlyName, status: account.status };
  } catch (error) {
    if (isTwilioRestError(error) && (error.status === 401 || error.status === 403 || error.status === 404)) {
      return { ok: false, reason: 'rejected', status: error.status };
    }
    throw error;
  }
}
