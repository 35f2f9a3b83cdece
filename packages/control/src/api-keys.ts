import type { EntityManager, FilterQuery } from '@mctb/db';
import { Agency, ApiKey, pageSize, SubAccount } from '@mctb/db';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isUuid, type Scope } from './scope.js';

const KEY_PATTERN = /^mctb_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** API keys are random 256-bit secrets, so one SHA-256 is enough (no slow hash needed). */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export async function createAgency(em: EntityManager, name: string): Promise<Agency> {
  const agency = new Agency(name);
  await em.persist(agency).flush();
  return agency;
}

/** Issues a key; the returned token is shown once and never stored. */
export async function issueApiKey(
  em: EntityManager,
  input: { agencyId: string; subAccountId?: string | null; name: string },
): Promise<{ key: ApiKey; token: string }> {
  const prefix = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  const key = new ApiKey(em.getReference(Agency, input.agencyId), input.name, prefix, hashSecret(secret));
  if (input.subAccountId) key.subAccount = em.getReference(SubAccount, input.subAccountId);
  await em.persist(key).flush();
  return { key, token: `mctb_${prefix}_${secret}` };
}

/** A key's last use is written at most this often (not on every request). */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The scope of a bearer token, or null when it is malformed, unknown, revoked or wrong. A good key
 * records when it was last used (to the minute), so unused keys can be found and revoked.
 */
export async function authenticateApiKey(em: EntityManager, token: string): Promise<(Scope & { keyId: string }) | null> {
  const match = KEY_PATTERN.exec(token);
  if (!match) return null;
  const [, prefix, secret] = match as unknown as [string, string, string];
  const key = await em.getRepository(ApiKey).findActiveByPrefix(prefix);
  if (!key) return null;
  const expected = Buffer.from(key.secretHash, 'hex');
  const given = Buffer.from(hashSecret(secret), 'hex');
  if (!timingSafeEqual(expected, given)) return null;
  const now = new Date();
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await em.nativeUpdate(ApiKey, { id: key.id }, { lastUsedAt: now });
    key.lastUsedAt = now;
  }
  return { keyId: key.id, agencyId: key.agency.id, subAccountId: key.subAccount?.id ?? null };
}

/** A sub-account key may revoke only keys bound to its own sub-account, never the agency's. */
export async function revokeApiKey(em: EntityManager, scope: Scope, keyId: string): Promise<boolean> {
  const ownKeys = scope.subAccountId === null ? {} : { subAccount: scope.subAccountId };
  const revoked = await em.nativeUpdate(ApiKey, { id: keyId, agency: scope.agencyId, ...ownKeys, revokedAt: null }, { revokedAt: new Date() });
  return revoked > 0;
}

/**
 * Keys the scope may see, newest first, revoked ones included: an agency key sees every key of the
 * agency; a sub-account key only those bound to its sub-account. `after` is the last id seen.
 */
export async function listApiKeys(em: EntityManager, scope: Scope, page: { first?: number | null; after?: string | null } = {}): Promise<ApiKey[]> {
  const where: FilterQuery<ApiKey> = { agency: scope.agencyId, ...(scope.subAccountId ? { subAccount: scope.subAccountId } : {}) };
  if (page.after) {
    const last = isUuid(page.after) ? await em.findOne(ApiKey, { ...where, id: page.after }) : null;
    if (!last) return [];
    where.$or = [{ createdAt: { $lt: last.createdAt } }, { createdAt: last.createdAt, id: { $lt: last.id } }];
  }
  return em.find(ApiKey, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(page.first) });
}
