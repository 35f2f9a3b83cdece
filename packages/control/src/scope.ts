import type { EntityManager } from '@mctb/db';
import { SubAccount } from '@mctb/db';

/** Who is asking: an agency key sees its agency; a sub-account key only that sub-account. */
export interface Scope {
  agencyId: string;
  subAccountId: string | null;
}

/**
 * The sub-account, if the scope may see it. Another agency's sub-account is reported exactly like
 * one that doesn't exist, so ids can't be probed across agencies.
 */
export async function findSubAccountInScope(em: EntityManager, scope: Scope, subAccountId: string): Promise<SubAccount | null> {
  if (scope.subAccountId !== null && scope.subAccountId !== subAccountId) return null;
  if (!isUuid(subAccountId)) return null;
  return em.findOne(SubAccount, { id: subAccountId, agency: scope.agencyId });
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
