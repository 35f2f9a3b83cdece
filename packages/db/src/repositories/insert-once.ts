import type { EntityDictionary, EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs an `insert … on conflict do nothing returning *` and returns the new row as an entity, or,
 * when the row already existed (a repeated webhook, a retried step), the stored one. Safe under
 * concurrency: the unique key decides which insert wins, everyone else reads the winner.
 */
export async function insertOnce<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  insertSql: string,
  params: unknown[],
  findExisting: () => Promise<T>,
): Promise<{ row: T; created: boolean }> {
  const rows: Record<string, unknown>[] = await em.execute(insertSql, params);
  const inserted = rows[0];
  // A raw row keyed by column names: what em.map turns into a managed entity.
  if (inserted) return { row: em.map(entity, inserted as EntityDictionary<T>), created: true };
  return { row: await findExisting(), created: false };
}
