import { PhoneNumber, type EntityManager } from '@mctb/db';
import { findIncomingNumber, isTwilioRestError, setIncomingNumberUrls, type IncomingNumber, type IncomingNumberUrls } from '@mctb/twilio-kit';
import type { ProviderAccount, ProviderAccounts } from './provider-accounts.js';

/**
 * The webhooks Twilio must call for a number, as the gateway serves them (services/gateway
 * src/app.ts mounts /twilio/voice and /twilio/sms): the incoming call, the call's final status, an
 * incoming text.
 */
export function gatewayWebhookUrls(gatewayPublicUrl: string): IncomingNumberUrls {
  const base = gatewayPublicUrl.replace(/\/+$/, '');
  return {
    voiceUrl: `${base}/twilio/voice/incoming`,
    statusCallback: `${base}/twilio/voice/status`,
    smsUrl: `${base}/twilio/sms/incoming`,
  };
}

export type ProviderNumberResult =
  /** The number calls the gateway; `changed` is false when it already did (nothing was sent). */
  | { status: 'configured'; e164: string; accountSid: string; numberSid: string; changed: boolean; urls: IncomingNumberUrls }
  /** The number can't serve text-back as it is at Twilio; `problems` says what is wrong, for people. */
  | { status: 'mismatch'; e164: string; accountSid: string | null; problems: string[] };

export interface ConfigureProviderNumberDeps {
  em: EntityManager;
  accounts: ProviderAccounts;
}

export interface ConfigureProviderNumberInput {
  /** A number a sub-account holds (phone_numbers), E.164. */
  e164: string;
  /** The gateway's public base URL, as Twilio reaches it (GATEWAY_PUBLIC_URL). */
  gatewayPublicUrl: string;
}

/**
 * Points a sub-account's number at the gateway at Twilio, through the account that holds it: voice
 * URL, status callback and SMS URL, all POST, after checking the number is in that account and can
 * do voice and SMS. Idempotent: when the URLs are already right nothing is sent, and setting them
 * again is harmless. A mismatch (not in the account, missing a capability, credentials refused) is
 * returned, not thrown, so a workflow records it; transient failures (timeouts, 429, 5xx) throw,
 * so a Temporal activity retries them.
 */
export async function configureProviderNumber(deps: ConfigureProviderNumberDeps, input: ConfigureProviderNumberInput): Promise<ProviderNumberResult> {
  const { em, accounts } = deps;
  const mismatch = (accountSid: string | null, ...problems: string[]): ProviderNumberResult => ({ status: 'mismatch', e164: input.e164, accountSid, problems });
  const held = await em.findOne(PhoneNumber, { e164: input.e164 }, { populate: ['subAccount'] });
  if (!held) return mismatch(null, `${input.e164} belongs to no sub-account`);

  // The account recorded when it was claimed; a number claimed unchecked goes through the agency's.
  const account: ProviderAccount | null = held.accountSid
    ? await accounts.byAccountSid(em, held.accountSid)
    : await accounts.ofAgency(em, held.subAccount.agency.id);
  if (!account) {
    return mismatch(held.accountSid, held.accountSid ? `Twilio account ${held.accountSid} that holds ${input.e164} is not configured here` : 'no Twilio account is configured for this agency or the platform');
  }

  const urls = gatewayWebhookUrls(input.gatewayPublicUrl);
  try {
    const number = await findIncomingNumber(account.client, input.e164);
    if (!number) return mismatch(account.accountSid, `${input.e164} is not in Twilio account ${account.accountSid}`);
    const problems = [number.voice ? null : 'cannot receive calls (no voice capability)', number.sms ? null : 'cannot send or receive texts (no SMS capability)'].filter((p) => p !== null);
    if (problems.length > 0) return mismatch(account.accountSid, ...problems.map((p) => `${input.e164} ${p}`));
    if (pointsAt(number, urls)) return { status: 'configured', e164: input.e164, accountSid: account.accountSid, numberSid: number.sid, changed: false, urls };
    const updated = await setIncomingNumberUrls(account.client, number.sid, urls);
    if (!pointsAt(updated, urls)) return mismatch(account.accountSid, `Twilio kept other URLs for ${input.e164} than the ones set`);
    return { status: 'configured', e164: input.e164, accountSid: account.accountSid, numberSid: number.sid, changed: true, urls };
  } catch (error) {
    if (isTwilioRestError(error) && (error.status === 401 || error.status === 403)) {
      return mismatch(account.accountSid, `Twilio refused the credentials of account ${account.accountSid} (HTTP ${error.status})`);
    }
    throw error;
  }
}

function pointsAt(number: IncomingNumber, urls: IncomingNumberUrls): boolean {
  return (
    number.voiceUrl === urls.voiceUrl &&
    number.statusCallback === urls.statusCallback &&
    number.smsUrl === urls.smsUrl &&
    [number.voiceMethod, number.statusCallbackMethod, number.smsMethod].every((method) => method?.toUpperCase() === 'POST')
  );
}
