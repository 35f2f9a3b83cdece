import { messageStatusFromProvider, type MessageStatus } from '@mctb/domain';
import { createTwilioClient, isTwilioRestError } from '@mctb/twilio-kit';
import { ProviderUnavailableError, type OutboundSms, type ProviderSendResult, type SmsProvider } from './provider.js';

export interface TwilioProviderOptions {
  accountSid: string;
  authToken: string;
  /** Origin that stands in for https://api.twilio.com (a local stand-in in tests). */
  apiBaseUrl?: string;
  timeoutMs?: number;
}

/** HTTP statuses that say "try again later" rather than "this message can never be sent". */
const TRANSIENT_STATUSES = new Set([401, 403, 408, 409, 429]);

/** Sends through Twilio's Messages API with the real `twilio` SDK. */
export class TwilioProvider implements SmsProvider {
  readonly name = 'twilio';
  private readonly client: ReturnType<typeof createTwilioClient>;

  constructor(options: TwilioProviderOptions) {
    this.client = createTwilioClient({ timeoutMs: 10_000, ...options });
  }

  async send(sms: OutboundSms): Promise<ProviderSendResult> {
    try {
      const message = await this.client.messages.create({
        to: sms.to,
        from: sms.from,
        body: sms.body,
        ...(sms.statusCallbackUrl ? { statusCallback: sms.statusCallbackUrl } : {}),
      });
      return { kind: 'accepted', providerMessageId: message.sid, status: statusOf(message.status) };
    } catch (error) {
      if (isTwilioRestError(error) && error.status < 500 && !TRANSIENT_STATUSES.has(error.status)) {
        return { kind: 'rejected', code: error.code ?? null, reason: error.message };
      }
      throw unavailable(error);
    }
  }

  async findAccepted(sms: OutboundSms, since: Date): Promise<{ providerMessageId: string; status: MessageStatus } | null> {
    try {
      // Twilio lists newest first; a queued message has no date_sent yet, so filter on creation time here.
      const recent = await this.client.messages.list({ to: sms.to, from: sms.from, limit: 50 });
      const match = recent.find((m) => m.body === sms.body && m.dateCreated >= since);
      return match ? { providerMessageId: match.sid, status: statusOf(match.status) } : null;
    } catch (error) {
      throw unavailable(error);
    }
  }
}

function statusOf(providerStatus: string): MessageStatus {
  return messageStatusFromProvider(providerStatus) ?? 'queued';
}

function unavailable(error: unknown): ProviderUnavailableError {
  if (isTwilioRestError(error)) {
    return new ProviderUnavailableError('twilio', `HTTP ${error.status}, error ${error.code}: ${error.message}`, error.status);
  }
  return new ProviderUnavailableError('twilio', error instanceof Error ? error.message : String(error));
}
