import { findTwilioCredentials, TwilioAccount, type EntityManager } from '@mctb/db';
import type { SecretKeyring } from '@mctb/secrets';
import { createTwilioClient, findIncomingNumber, isTwilioRestError, type Twilio } from '@mctb/twilio-kit';

/** SID and auth token of a Twilio account. */
export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
}

/** A Twilio account to act through, and whose it is. */
export interface ProviderAccount {
  accountSid: string;
  /** The agency's own account, or the platform's (env) that agencies without one share. */
  source: 'agency' | 'platform';
  client: Twilio;
}

/** What the provider said about claiming a number: the account holding it, or why not. */
export type NumberClaimCheck = { ok: true; accountSid: string | null } | { ok: false; message: string };

/** Decides whether an agency may claim a number (createSubAccount and any other path adding one). */
export interface NumberClaims {
  check(em: EntityManager, agencyId: string, e164: string): Promise<NumberClaimCheck>;
}

/**
 * Claims taken on trust: only for seeding (the operator's own demo and test data), or a control
 * plane run with ALLOW_UNVERIFIED_NUMBERS. The number is recorded as the platform account's.
 */
export const UNVERIFIED_NUMBER_CLAIMS: NumberClaims = { check: async () => ({ ok: true, accountSid: null }) };

export interface ProviderAccountsOptions {
  /** Seals and opens agencies' auth tokens; null when no key is configured (agencies can't store accounts). */
  keyring: SecretKeyring | null;
  /** The platform's own account (TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN); agencies without their own use it. */
  platform: TwilioCredentials | null;
  /** Where the SDK's requests go instead of Twilio's cloud (the local stand-in). */
  apiBaseUrl?: string;
  /** Per request; the SDK's default is 30 s, too long for an API call waiting on it. */
  timeoutMs?: number;
  /**
   * With neither an agency account nor a platform account to ask, accept claims unchecked (the
   * number counts as the platform's). Off by default: then such a claim is refused.
   */
  allowUnverifiedClaims?: boolean;
}

/**
 * The Twilio accounts the platform acts through: an agency's own (its token opened from the
 * database), else the platform's. Also the number-claim check: the number must be in that account
 * at Twilio and able to do voice and SMS.
 */
export class ProviderAccounts implements NumberClaims {
  /** One SDK client per account and token: a provisioning run asks about every number it touches. */
  private readonly clients = new Map<string, { authToken: string; client: Twilio }>();

  constructor(readonly options: ProviderAccountsOptions) {}

  get keyring(): SecretKeyring | null {
    return this.options.keyring;
  }

  /** A real SDK client for these credentials (pointed at the stand-in when configured). */
  client(credentials: TwilioCredentials): Twilio {
    const known = this.clients.get(credentials.accountSid);
    // A rotated token gets a new client; the old one is dropped.
    if (known?.authToken === credentials.authToken) return known.client;
    const client = createTwilioClient({
      ...credentials,
      ...(this.options.apiBaseUrl ? { apiBaseUrl: this.options.apiBaseUrl } : {}),
      timeoutMs: this.options.timeoutMs ?? 10_000,
    });
    this.clients.set(credentials.accountSid, { authToken: credentials.authToken, client });
    return client;
  }

  /** The account an agency's numbers are claimed and configured through; null when there is none. */
  async ofAgency(em: EntityManager, agencyId: string): Promise<ProviderAccount | null> {
    const own = await em.findOne(TwilioAccount, { agency: agencyId });
    if (own) {
      const account = await this.byAccountSid(em, own.accountSid);
      if (!account) throw new Error(`agency ${agencyId} has Twilio account ${own.accountSid} stored, but no secrets key is configured to open its token (MCTB_SECRETS_KEY)`);
      return account;
    }
    const { platform } = this.options;
    return platform ? { accountSid: platform.accountSid, source: 'platform', client: this.client(platform) } : null;
  }

  /** The platform account or a stored one by its SID; null when neither is it (or no key opens it). */
  async byAccountSid(em: EntityManager, accountSid: string): Promise<ProviderAccount | null> {
    const { platform, keyring } = this.options;
    if (platform?.accountSid === accountSid) return { accountSid, source: 'platform', client: this.client(platform) };
    if (!keyring) return null;
    const stored = await findTwilioCredentials(em, keyring, accountSid);
    return stored ? { accountSid, source: 'agency', client: this.client(stored) } : null;
  }

  async check(em: EntityManager, agencyId: string, e164: string): Promise<NumberClaimCheck> {
    const account = await this.ofAgency(em, agencyId);
    if (!account) {
      if (this.options.allowUnverifiedClaims) return { ok: true, accountSid: null };
      return { ok: false, message: 'cannot be checked: the agency has no Twilio account (set one with setTwilioAccount) and the platform has none' };
    }
    const whose = account.source === 'agency' ? `the agency's Twilio account ${account.accountSid}` : `the platform's Twilio account`;
    let number;
    try {
      number = await findIncomingNumber(account.client, e164);
    } catch (error) {
      if (isTwilioRestError(error) && error.status === 401) {
        return { ok: false, message: `cannot be checked: Twilio refused the credentials of ${whose}; set them again with setTwilioAccount` };
      }
      return { ok: false, message: `cannot be checked: Twilio did not answer about ${whose} (${isTwilioRestError(error) ? `error ${error.code}` : 'no answer'}); try again` };
    }
    if (!number) return { ok: false, message: `${e164} is not a number of ${whose}; buy or port it into that account first` };
    const missing = [number.voice ? null : 'voice', number.sms ? null : 'SMS'].filter((x) => x !== null);
    if (missing.length > 0) return { ok: false, message: `${e164} cannot do ${missing.join(' or ')} at Twilio; missed-call text-back needs both` };
    return { ok: true, accountSid: account.accountSid };
  }
}
