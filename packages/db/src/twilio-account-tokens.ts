import type { SecretKeyring } from '@mctb/secrets';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TwilioAccount } from './entities/twilio-account.js';

/** The associated data a token is sealed with: a ciphertext moved to another account's row won't open. */
const tokenContext = (accountSid: string) => `twilio_accounts.auth_token:${accountSid}`;

/** The columns that hold an account's auth token, sealed with the keyring's current key. */
export function sealTwilioAuthToken(keyring: SecretKeyring, accountSid: string, authToken: string): Pick<TwilioAccount, 'authTokenCiphertext' | 'authTokenKeyId'> {
  const sealed = keyring.seal(authToken, tokenContext(accountSid));
  return { authTokenCiphertext: sealed.ciphertext, authTokenKeyId: sealed.keyId };
}

/** The auth token in clear; throws a SecretError naming the key when it can't be opened. */
export function openTwilioAuthToken(keyring: SecretKeyring, account: Pick<TwilioAccount, 'accountSid' | 'authTokenCiphertext' | 'authTokenKeyId'>): string {
  return keyring.open({ keyId: account.authTokenKeyId, ciphertext: account.authTokenCiphertext }, tokenContext(account.accountSid));
}

/** A stored account's SID and auth token in clear, or null when no agency stored that account. */
export async function findTwilioCredentials(em: EntityManager, keyring: SecretKeyring, accountSid: string): Promise<{ accountSid: string; authToken: string; agencyId: string } | null> {
  const account = await em.findOne(TwilioAccount, { accountSid });
  if (!account) return null;
  return { accountSid: account.accountSid, authToken: openTwilioAuthToken(keyring, account), agencyId: account.agency.id };
}
