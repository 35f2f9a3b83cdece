import type { EntityManager } from '@mctb/db';
import { Call, Message } from '@mctb/db';

/** Newest first, at most `limit` (capped at 200); `before` pages back in time. */
export async function recentCalls(em: EntityManager, subAccountId: string, options: { limit: number; before?: Date }): Promise<Call[]> {
  return em.getRepository(Call).listRecent(subAccountId, { ...options, limit: Math.min(Math.max(options.limit, 1), 200) });
}

export async function recentMessages(em: EntityManager, subAccountId: string, options: { limit: number; before?: Date }): Promise<Message[]> {
  return em.getRepository(Message).listRecent(subAccountId, { ...options, limit: Math.min(Math.max(options.limit, 1), 200) });
}
