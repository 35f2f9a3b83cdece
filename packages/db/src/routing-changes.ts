import type { EntityManager } from '@mikro-orm/postgresql';

/** The PostgreSQL channel that says "this sub-account's routing changed" (payload: its id). */
export const ROUTING_CHANNEL = 'mctb_routing';

/**
 * Tells every gateway to forget what it cached about a sub-account's numbers (ring timeout,
 * screening, plugins). Call it after the change is committed; a gateway that misses it refreshes
 * within its cache's few seconds anyway.
 */
export async function announceRoutingChange(em: EntityManager, subAccountId: string): Promise<void> {
  await em.execute('select pg_notify(?, ?)', [ROUTING_CHANNEL, subAccountId]);
}
