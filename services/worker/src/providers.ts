import type { Orm } from '@mctb/db';
import { OutboxProvider, TwilioProvider, type SmsProvider } from '@mctb/sms';
import type { WorkerEnv } from './env.js';

/** The SMS providers this worker can send through: always the outbox, Twilio when configured. */
export function smsProviders(orm: Orm, env: WorkerEnv): Record<string, SmsProvider> {
  const providers: Record<string, SmsProvider> = { outbox: new OutboxProvider(() => orm.em.fork()) };
  if (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN) {
    providers.twilio = new TwilioProvider({
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      ...(env.TWILIO_API_BASE_URL ? { apiBaseUrl: env.TWILIO_API_BASE_URL } : {}),
    });
  }
  return providers;
}

/** Where Twilio reports delivery of one of our texts; the intent id finds it even before we stored Twilio's id. */
export function statusCallbackUrl(gatewayPublicUrl: string | undefined): (intentId: string) => string | null {
  if (!gatewayPublicUrl) return () => null;
  const base = gatewayPublicUrl.replace(/\/$/, '');
  return (intentId) => `${base}/twilio/sms/status?intent=${encodeURIComponent(intentId)}`;
}
