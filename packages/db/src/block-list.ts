import type { EntityManager } from '@mikro-orm/postgresql';
import { toDate } from './driver.js';
import { firstPerParent, type KeyPage } from './repositories/first-per-parent.js';

/**
 * A sub-account's block list (table `blocked_numbers`, no entity: the worker reads it with plain
 * SQL when a call is missed). A blocked caller's missed calls are recorded as skipped, never texted.
 */
export interface BlockedNumber {
  subAccountId: string;
  e164: string;
  reason: string | null;
  createdAt: Date;
}

/** Blocks the number, or, when it already is, replaces the reason (the first blocking time stays). */
export async function storeBlockedNumber(em: EntityManager, subAccountId: string, e164: string, reason: string | null): Promise<BlockedNumber> {
  const rows: Record<string, unknown>[] = await em.execute(
    `insert into blocked_numbers (sub_account_id, e164, reason) values (?, ?, ?)
     on conflict (sub_account_id, e164) do update set reason = excluded.reason
     returning sub_account_id, e164, reason, created_at`,
    [subAccountId, e164, reason],
  );
  return blockedNumberOf(rows[0]!);
}

/** True when the number was blocked (and no longer is). */
export async function removeBlockedNumber(em: EntityManager, subAccountId: string, e164: string): Promise<boolean> {
  const rows: Record<string, unknown>[] = await em.execute(
    'delete from blocked_numbers where sub_account_id = ? and e164 = ? returning e164',
    [subAccountId, e164],
  );
  return rows.length > 0;
}

/** The blocked numbers of many sub-accounts, by number, one page each (for dataloaders). */
export async function blockedNumbersOf(em: EntityManager, subAccountIds: readonly string[], page: KeyPage): Promise<BlockedNumber[][]> {
  return (await firstPerParent(em, 'blocked_numbers', subAccountIds, page)).map((rows) => rows.map(blockedNumberOf));
}

function blockedNumberOf(row: Record<string, unknown>): BlockedNumber {
  return {
    subAccountId: row.sub_account_id as string,
    e164: row.e164 as string,
    reason: row.reason as string | null,
    createdAt: toDate(row.created_at) as Date,
  };
}
