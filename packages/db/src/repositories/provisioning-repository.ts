import { EntityRepository } from '@mikro-orm/postgresql';
import type { Provisioning } from '../entities/provisioning.js';

export class ProvisioningRepository extends EntityRepository<Provisioning> {
  /** What a sub-account runs: its snapshot version (with definition) and its custom values. */
  async forSubAccount(subAccountId: string): Promise<Provisioning | null> {
    return this.findOne({ subAccount: subAccountId }, { populate: ['subAccount', 'snapshotVersion', 'snapshotVersion.snapshot'] });
  }
}
