import { Agency, openTwilioAuthToken, sealTwilioAuthToken, TwilioAccount, type EntityManager } from '@mctb/db';
import type { SecretKeyring } from '@mctb/secrets';
import { checkAccount, isTwilioRestError } from '@mctb/twilio-kit';
import type { ProviderAccounts } from './provider-accounts.js';
import { forbidden, invalid, ok, type FieldIssue, type Result } from './result.js';
import type { Scope } from './scope.js';

export interface SetTwilioAccountInput {
  accountSid: string;
  authToken: string;
}

/** What the API may show of a stored account: never the token. */
export interface TwilioAccountView {
  accountSid: string;
  friendlyName: string;
  /** Id of the key the token is sealed with (rotation re-seals under the newest key). */
  keyId: string;
  createdAt: Date;
  updatedAt: Date;
}

const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;
const AUTH_TOKEN = /^[0-9A-Za-z]{16,64}$/;

function view(account: TwilioAccount): TwilioAccountView {
  return { accountSid: account.accountSid, friendlyName: account.friendlyName, keyId: account.authTokenKeyId, createdAt: account.createdAt, updatedAt: account.updatedAt };
}

/**
 * Stores the agency's own Twilio account after Twilio accepted the credentials (the account is
 * fetched through the SDK), its token sealed. Numbers the agency claims from then on must be in it.
 * Setting it again (a rotated token) replaces the token; switching to another account is refused
 * while sub-accounts hold numbers of the current one, which would stop ringing.
 */
export async function setTwilioAccount(em: EntityManager, scope: Scope, accounts: ProviderAccounts, input: SetTwilioAccountInput): Promise<Result<TwilioAccountView>> {
  if (scope.subAccountId !== null) return forbidden("a sub-account API key cannot change the agency's Twilio account");
  const accountSid = input.accountSid.trim();
  const authToken = input.authToken.trim();
  const issues: FieldIssue[] = [];
  if (!ACCOUNT_SID.test(accountSid)) issues.push({ path: 'accountSid', message: 'must be a Twilio account SID: AC followed by 32 lowercase hex digits' });
  if (!AUTH_TOKEN.test(authToken)) issues.push({ path: 'authToken', message: 'must be a Twilio auth token: 16 to 64 letters and digits' });
  if (issues.length > 0) return invalid(issues);
  const keyring = accounts.keyring;
  if (!keyring) return invalid([{ path: 'authToken', message: 'cannot be stored: this control plane has no secrets key (MCTB_SECRETS_KEY)' }]);

  const taken = await em.findOne(TwilioAccount, { accountSid });
  if (taken && taken.agency.id !== scope.agencyId) return invalid([{ path: 'accountSid', message: `${accountSid} is already another agency's account` }]);
  if (accountSid === accounts.options.platform?.accountSid) return invalid([{ path: 'accountSid', message: "is the platform's own account; an agency brings its own" }]);
  const current = await em.findOne(TwilioAccount, { agency: scope.agencyId });
  if (current && current.accountSid !== accountSid) {
    const held = await em.getConnection().execute<{ n: string }[]>(
      `select count(*) as n from phone_numbers p join sub_accounts s on s.id = p.sub_account_id where s.agency_id = ? and p.account_sid = ?`,
      [scope.agencyId, current.accountSid],
    );
    if (Number(held[0]?.n ?? 0) > 0) {
      return invalid([{ path: 'accountSid', message: `sub-accounts still hold numbers of ${current.accountSid}; move or remove them before switching accounts` }]);
    }
  }

  let check;
  try {
    check = await checkAccount(accounts.client({ accountSid, authToken }));
  } catch (error) {
    return invalid([{ path: 'authToken', message: `could not be checked: Twilio did not answer (${isTwilioRestError(error) ? `error ${error.code}` : 'no answer'}); try again` }]);
  }
  if (!check.ok) {
    return invalid([
      check.reason === 'rejected'
        ? { path: 'authToken', message: `Twilio refused this account SID and auth token (HTTP ${check.status})` }
        : { path: 'accountSid', message: `the account is ${check.status} at Twilio, not active` },
    ]);
  }

  const sealed = sealTwilioAuthToken(keyring, accountSid, authToken);
  const now = new Date();
  if (current && current.accountSid === accountSid) {
    Object.assign(current, sealed, { friendlyName: check.friendlyName, updatedAt: now });
    await em.flush();
    return ok(view(current));
  }
  const account = new TwilioAccount({ accountSid, agency: em.getReference(Agency, scope.agencyId), friendlyName: check.friendlyName, ...sealed });
  // The old row goes before the new one comes: one account per agency.
  await em.transactional(async (tx) => {
    if (current) await tx.remove(current).flush();
    await tx.persist(account).flush();
  });
  return ok(view(account));
}

/** The agency's own account as the API shows it; null when the agency uses the platform's. */
export async function twilioAccountOf(em: EntityManager, scope: Scope): Promise<Result<TwilioAccountView | null>> {
  if (scope.subAccountId !== null) return forbidden("a sub-account API key cannot see the agency's Twilio account");
  const account = await em.findOne(TwilioAccount, { agency: scope.agencyId });
  return ok(account ? view(account) : null);
}

/**
 * Re-seals every stored token not sealed with the keyring's current key (the control plane does it
 * on start): rotating MCTB_SECRETS_KEY is putting the new key first, restarting, then dropping the
 * old one. A token no listed key opens throws, naming the key id.
 */
export async function resealTwilioAuthTokens(em: EntityManager, keyring: SecretKeyring): Promise<{ resealed: number }> {
  const stale = await em.find(TwilioAccount, { authTokenKeyId: { $ne: keyring.currentKeyId } });
  for (const account of stale) Object.assign(account, sealTwilioAuthToken(keyring, account.accountSid, openTwilioAuthToken(keyring, account)));
  await em.flush();
  return { resealed: stale.length };
}
