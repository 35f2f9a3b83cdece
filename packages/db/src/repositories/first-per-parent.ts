import type { EntityManager } from '@mikro-orm/postgresql';

/** No page of a list is larger than this. */
export const MAX_PAGE = 100;

export interface KeyPage {
  first?: number | null;
  /** Only rows whose key sorts after this one (the last key of the previous page). */
  after?: string | null;
}

/** Lists the control plane pages through, each by its parent and a unique, sortable key. */
const LISTS = {
  phone_numbers: { parent: 'sub_account_id', key: 'e164' },
  plugin_installations: { parent: 'sub_account_id', key: 'plugin_id' },
  messages: { parent: 'call_id', key: 'created_at' },
  blocked_numbers: { parent: 'sub_account_id', key: 'e164' },
} as const;

/**
 * The first rows of many parents in one query, one list per parent id in the order given (a
 * lateral join per parent), for dataloaders: every nested list is paged, never unbounded.
 */
export async function firstPerParent(
  em: EntityManager,
  table: keyof typeof LISTS,
  parentIds: readonly string[],
  page: KeyPage,
): Promise<Record<string, unknown>[][]> {
  if (parentIds.length === 0) return [];
  // No key holds a NUL (PostgreSQL can't even compare one): such a cursor is past the end.
  if (page.after?.includes('\u0000')) return parentIds.map(() => []);
  const { parent, key } = LISTS[table];
  const limit = pageSize(page.first);
  const after = page.after ?? null;
  const ids = parentIds.map(() => '?').join(', ');
  const rows: Record<string, unknown>[] = await em.execute(
    `select t.* from unnest(array[${ids}]::uuid[]) as p(id)
     cross join lateral (
       select * from ${table}
       where ${parent} = p.id ${after === null ? '' : `and ${key}::text > ?`}
       order by ${key}, ${table === 'messages' ? 'id' : key}
       limit ?
     ) t`,
    [...parentIds, ...(after === null ? [] : [after]), limit],
  );
  const groups = new Map<string, Record<string, unknown>[]>(parentIds.map((id) => [id, []]));
  for (const row of rows) groups.get(String(row[parent]))?.push(row);
  return parentIds.map((id) => groups.get(id) ?? []);
}

/** A requested page size, within 1..max. */
export function pageSize(first: number | null | undefined, max = MAX_PAGE, fallback = 50): number {
  if (first === null || first === undefined || !Number.isFinite(first)) return Math.min(fallback, max);
  return Math.min(Math.max(Math.trunc(first), 1), max);
}
