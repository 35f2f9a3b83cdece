import type { Orm } from '@mctb/db';
import { isAnsweredBy } from '@mctb/domain';
import { OutboxProvider, TwilioAccountsProvider, type SmsProvider } from '@mctb/sms';
import type { ProviderCallLookup } from '@mctb/telephony';
import { createTwilioClient, fetchCallWithLegs } from '@mctb/twilio-kit';
import type { WorkerEnv } from './env.js';

/**
 * The SMS providers this worker can send through: always the outbox; Twilio when the platform has
 * an account or agencies' accounts can be opened (MCTB_SECRETS_KEY), each text going out through
 * the account that holds its sending number.
 */
export function smsProviders(orm: Orm, env: WorkerEnv): Record<string, SmsProvider> {
  const providers: Record<string, SmsProvider> = { outbox: new OutboxProvider(() => orm.em.fork()) };
  const platform = env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN } : null;
  if (platform || env.MCTB_SECRETS_KEY) {
    providers.twilio = new TwilioAccountsProvider({
      orm,
      keyring: env.MCTB_SECRETS_KEY ?? null,
      platform,
      ...(env.TWILIO_API_BASE_URL ? { apiBaseUrl: env.TWILIO_API_BASE_URL } : {}),
    });
  }
  return providers;
}

/** How the sweeper asks Twilio about a call whose dial result never arrived; undefined without credentials. */
export function providerCallLookup(env: WorkerEnv): ProviderCallLookup | undefined {
  if (!env.TWILIO_ACCOUNT_SID || !env.TWILIO_AUTH_TOKEN) return undefined;
  const client = createTwilioClient({
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    timeoutMs: 10_000,
    ...(env.TWILIO_API_BASE_URL ? { apiBaseUrl: env.TWILIO_API_BASE_URL } : {}),
  });
  return {
    async find(callSid) {
      const call = await fetchCallWithLegs(client, callSid);
      if (!call) return null;
      return { ...call, legs: call.legs.map((leg) => ({ ...leg, answeredBy: leg.answeredBy && isAnsweredBy(leg.answeredBy) ? leg.answeredBy : null })) };
    },
  };
}

/** Where Twilio reports delivery of one of our texts; the intent id finds it even before we stored Twilio's id. */
export function statusCallbackUrl(gatewayPublicUrl: string | undefined): (intentId: string) => string | null {
  if (!gatewayPublicUrl) return () => null;
  const base = gatewayPublicUrl.replace(/\/$/, '');
  return (intentId) => `${base}/twilio/sms/status?intent=${encodeURIComponent(intentId)}`;
}
