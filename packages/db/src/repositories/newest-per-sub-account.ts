import type { EntityManager } from '@mikro-orm/postgresql';

/** No page of recent calls or messages is larger than this. */
export const MAX_RECENT_PAGE = 200;

export interface RecentPage {
  first: number;
  /** Only rows older than this (paging back in time). */
  before?: Date | null;
}

/**
 * The newest rows of many sub-accounts in one query, one list per id in the order given: a
 * lateral join walks each sub-account's (sub_account_id, time) index. Dataloaders batch with it.
 */
export async function newestPerSubAccount(
  em: EntityManager,
  table: 'calls' | 'messages',
  timeColumn: 'started_at' | 'created_at',
  subAccountIds: readonly string[],
  page: RecentPage,
): Promise<Record<string, unknown>[][]> {
  if (subAccountIds.length === 0) return [];
  const limit = Math.min(Math.max(Math.trunc(page.first), 1), MAX_RECENT_PAGE);
  const before = page.before ?? null;
  // Knex expands an array binding into a list, so the array is spelled out placeholder by placeholder.
  const ids = subAccountIds.map(() => '?').join(', ');
  const rows: Record<string, unknown>[] = await em.execute(
    `select t.* from unnest(array[${ids}]::uuid[]) as s(id)
     cross join lateral (
       select * from ${table}
       where sub_account_id = s.id and (?::timestamptz is null or ${timeColumn} < ?::timestamptz)
       order by ${timeColumn} desc, id desc
       limit ?
     ) t
     order by t.sub_account_id, t.${timeColumn} desc, t.id desc`,
    [...subAccountIds, before, before, limit],
  );
  const groups = new Map<string, Record<string, unknown>[]>(subAccountIds.map((id) => [id, []]));
  for (const row of rows) groups.get(String(row.sub_account_id))?.push(row);
  return subAccountIds.map((id) => groups.get(id) ?? []);
}
