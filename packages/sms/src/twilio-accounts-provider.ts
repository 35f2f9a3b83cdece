import { findTwilioCredentials, PhoneNumber, type Orm } from '@mctb/db';
import type { SecretKeyring } from '@mctb/secrets';
import type { MessageStatus } from '@mctb/domain';
import { ProviderUnavailableError, type OutboundSms, type ProviderSendResult, type SmsProvider } from './provider.js';
import { TwilioProvider } from './twilio-provider.js';

export interface TwilioAccountsProviderOptions {
  orm: Orm;
  /** Opens agencies' stored tokens; null: only the platform account sends. */
  keyring: SecretKeyring | null;
  /** The platform's own account (TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN); it sends from its numbers and unchecked ones. */
  platform: { accountSid: string; authToken: string } | null;
  apiBaseUrl?: string;
  timeoutMs?: number;
  /** How long which account holds a number, and its token, are reused (default 60 s). */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Twilio, through the account that holds the sending number (phone_numbers.account_sid): an
 * agency's own account with its token opened from the database, else the platform's. Twilio only
 * sends from an account's own numbers, and each agency's texts bill to its own account.
 */
export class TwilioAccountsProvider implements SmsProvider {
  readonly name = 'twilio';
  private readonly holders = new Map<string, { accountSid: string | null; at: number }>();
  private readonly accounts = new Map<string, { authToken: string; provider: TwilioProvider; at: number }>();
  private readonly platform: TwilioProvider | null;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TwilioAccountsProviderOptions) {
    this.platform = options.platform ? this.provider(options.platform) : null;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async send(sms: OutboundSms): Promise<ProviderSendResult> {
    const provider = await this.providerFor(sms.from);
    if (!provider) return { kind: 'rejected', code: null, reason: 'no Twilio account is configured to send from this number' };
    return provider.send(sms);
  }

  async findAccepted(sms: OutboundSms, since: Date): Promise<{ providerMessageId: string; status: MessageStatus } | null> {
    const provider = await this.providerFor(sms.from);
    return provider ? provider.findAccepted(sms, since) : null;
  }

  /** The provider for the account holding `from`; null when that is the platform's and it has none. */
  private async providerFor(from: string): Promise<TwilioProvider | null> {
    const holder = await this.holderOf(from);
    if (holder === null || holder === this.options.platform?.accountSid) return this.platform;
    const cached = this.accounts.get(holder);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.provider;
    const stored = this.options.keyring ? await findTwilioCredentials(this.options.orm.em.fork(), this.options.keyring, holder) : null;
    // Retried, not refused: a key or account configured later lets the text still go.
    if (!stored) throw new ProviderUnavailableError('twilio', `Twilio account ${holder}, which holds the sending number, is not stored here or no secrets key opens its token`);
    const provider = cached?.authToken === stored.authToken ? cached.provider : this.provider(stored);
    this.accounts.set(holder, { authToken: stored.authToken, provider, at: this.now() });
    return provider;
  }

  private async holderOf(from: string): Promise<string | null> {
    const cached = this.holders.get(from);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.accountSid;
    const number = await this.options.orm.em.fork().findOne(PhoneNumber, { e164: from }, { fields: ['accountSid'] });
    const accountSid = number?.accountSid ?? null;
    this.holders.set(from, { accountSid, at: this.now() });
    return accountSid;
  }

  private provider(credentials: { accountSid: string; authToken: string }): TwilioProvider {
    const { apiBaseUrl, timeoutMs } = this.options;
    return new TwilioProvider({ ...credentials, ...(apiBaseUrl ? { apiBaseUrl } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
  }
}
