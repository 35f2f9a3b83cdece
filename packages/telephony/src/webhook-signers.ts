import { findTwilioCredentials, type Orm } from '@mctb/db';
import type { SecretKeyring } from '@mctb/secrets';
import { withDeadline } from './deadline.js';
import type { Routes } from './routes.js';

/** Whose token must have signed a webhook. */
export type ExpectedSigner =
  | { kind: 'token'; authToken: string; accountSid: string | null }
  /** No token can sign it: the number is another account's, or the account is unknown. */
  | { kind: 'refused'; reason: string }
  /** The database could not be asked and nothing is cached: the signature can't be checked now. */
  | { kind: 'unavailable'; error: unknown };

export interface WebhookSignersOptions {
  orm: Orm;
  routes: Routes;
  /**
   * The platform's own account (TWILIO_AUTH_TOKEN, TWILIO_ACCOUNT_SID): it signs webhooks about
   * numbers claimed through it or unchecked. Without a SID, its token also signs for any account
   * no agency stored (the single-account setup this platform started as).
   */
  platform: { authToken: string; accountSid?: string };
  /** Opens agencies' stored tokens; null: only the platform's token signs. */
  keyring: SecretKeyring | null;
  deadlineMs: number;
  /** How long an opened token is reused (default 60 s); an unknown SID is asked again after 5 s. */
  ttlMs?: number;
  now?: () => number;
}

const UNKNOWN_TTL_MS = 5_000;
const REFRESH_AFTER_MS = 1_000;

/**
 * Decides whose auth token a Twilio webhook must be signed with: the token of the account that
 * holds the number it is about (phone_numbers.account_sid, read through the routing cache), and
 * the AccountSid it names must be that account. So agency B's token never passes a webhook about
 * agency A's number. About a number that isn't ours (a forwarded leg's To), the account it names
 * must be known, and its token signs. Opened tokens are cached briefly in memory.
 */
export class WebhookSigners {
  private readonly tokens = new Map<string, { authToken: string | null; at: number }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: WebhookSignersOptions) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * @param accountSid the webhook's AccountSid
   * @param number our number the webhook is about (To of a call or text, From of a delivery report)
   * @param fresh read the token from the database even if cached (after a signature mismatch: rotated)
   */
  async expected(accountSid: string | undefined, number: string | undefined, fresh = false): Promise<ExpectedSigner> {
    const { platform } = this.options;
    const lookup = number ? await this.options.routes.lookup(number) : undefined;
    if (lookup?.kind === 'found') {
      const holder = lookup.route.accountSid;
      if (holder === null || holder === platform.accountSid) {
        if (platform.accountSid && accountSid !== platform.accountSid) return { kind: 'refused', reason: 'the number is held by another Twilio account' };
        return { kind: 'token', authToken: platform.authToken, accountSid: platform.accountSid ?? null };
      }
      if (accountSid !== holder) return { kind: 'refused', reason: 'the number is held by another Twilio account' };
      return this.tokenOf(holder, fresh, false);
    }
    if (!accountSid) {
      return platform.accountSid ? { kind: 'refused', reason: 'the webhook names no AccountSid' } : { kind: 'token', authToken: platform.authToken, accountSid: null };
    }
    if (accountSid === platform.accountSid) return { kind: 'token', authToken: platform.authToken, accountSid };
    return this.tokenOf(accountSid, fresh, true);
  }

  /** `legacy`: an account no agency stored is signed for by the platform token when the platform names no SID. */
  private async tokenOf(accountSid: string, fresh: boolean, legacy: boolean): Promise<ExpectedSigner> {
    const cached = this.tokens.get(accountSid);
    const age = cached ? this.now() - cached.at : Number.POSITIVE_INFINITY;
    // A mismatch asks again (the agency may have rotated its token), at most once a second per account.
    const reusable = cached && (fresh ? age < REFRESH_AFTER_MS : age < (cached.authToken === null ? UNKNOWN_TTL_MS : this.ttlMs));
    let authToken: string | null;
    if (reusable) {
      authToken = cached.authToken;
    } else {
      try {
        authToken = await withDeadline('Twilio account lookup', this.options.deadlineMs, () => this.load(accountSid));
        this.tokens.set(accountSid, { authToken, at: this.now() });
      } catch (error) {
        // PostgreSQL is down or slow: the last token read still checks signatures.
        if (!cached) return { kind: 'unavailable', error };
        authToken = cached.authToken;
      }
    }
    if (authToken !== null) return { kind: 'token', authToken, accountSid };
    const { platform } = this.options;
    if (legacy && !platform.accountSid) return { kind: 'token', authToken: platform.authToken, accountSid: null };
    return { kind: 'refused', reason: 'the webhook is for a Twilio account this platform does not know' };
  }

  private async load(accountSid: string): Promise<string | null> {
    const { keyring } = this.options;
    if (!keyring) return null;
    return (await findTwilioCredentials(this.options.orm.em.fork(), keyring, accountSid))?.authToken ?? null;
  }
}
