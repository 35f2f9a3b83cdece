import type { MessageStatus } from '@mctb/domain';

export interface OutboundSms {
  /** Our deterministic id of this send; travels in the status-callback URL. */
  intentId: string;
  from: string;
  to: string;
  body: string;
  statusCallbackUrl: string | null;
}

export type ProviderSendResult =
  | { kind: 'accepted'; providerMessageId: string; status: MessageStatus }
  /** The provider refused this message for good (bad number, opted out, no SMS capability). */
  | { kind: 'rejected'; code: number | null; reason: string };

/**
 * One way of delivering texts. `send` throws for transient trouble (timeouts, 429, 5xx) so the
 * caller retries; permanent refusals come back as `rejected`.
 */
export interface SmsProvider {
  readonly name: string;
  send(sms: OutboundSms): Promise<ProviderSendResult>;
  /**
   * Looks for a message the provider already accepted for this send (created at or after `since`):
   * the crash window between the provider accepting and our write.
   */
  findAccepted(sms: OutboundSms, since: Date): Promise<{ providerMessageId: string; status: MessageStatus } | null>;
}

/** A transient provider failure; retrying later may succeed. */
export class ProviderUnavailableError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    readonly httpStatus: number | null = null,
  ) {
    super(`${provider}: ${message}`);
    this.name = 'ProviderUnavailableError';
  }
}
