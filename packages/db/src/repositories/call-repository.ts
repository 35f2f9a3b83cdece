import { EntityRepository } from '@mikro-orm/postgresql';
import { Call } from '../entities/call.js';
import { newestPerSubAccount, type RecentPage } from './newest-per-sub-account.js';

/** Reading calls for the control plane; intake writes them through CallStore. */
export class CallRepository extends EntityRepository<Call> {
  async findBySid(callSid: string): Promise<Call | null> {
    return this.findOne({ callSid });
  }

  /** Newest first for each sub-account given (one list per id, in order); see newestPerSubAccount. */
  async newestPerSubAccount(subAccountIds: readonly string[], page: RecentPage): Promise<Call[][]> {
    const em = this.getEntityManager();
    const groups = await newestPerSubAccount(em, 'calls', 'started_at', subAccountIds, page);
    return groups.map((rows) => rows.map((row) => em.map(Call, row)));
  }
}
