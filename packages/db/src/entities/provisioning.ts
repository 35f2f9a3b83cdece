import { EntitySchema, type EntityRepositoryType } from '@mikro-orm/core';
import { ProvisioningRepository } from '../repositories/provisioning-repository.js';
import { SubAccount } from './sub-account.js';
import { SnapshotVersion } from './snapshot.js';

/** The snapshot version a sub-account runs, with that client's own custom values. */
export class Provisioning {
  declare [EntityRepositoryType]?: ProvisioningRepository;
  subAccount: SubAccount;
  snapshotVersion: SnapshotVersion;
  customValues: Record<string, string>;
  provisionedAt: Date = new Date();

  constructor(subAccount: SubAccount, snapshotVersion: SnapshotVersion, customValues: Record<string, string>) {
    this.subAccount = subAccount;
    this.snapshotVersion = snapshotVersion;
    this.customValues = customValues;
  }
}

export const ProvisioningSchema = new EntitySchema<Provisioning>({
  class: Provisioning,
  repository: () => ProvisioningRepository,
  tableName: 'provisionings',
  properties: {
    subAccount: { kind: '1:1', entity: () => SubAccount, primary: true, owner: true, deleteRule: 'cascade' },
    snapshotVersion: { kind: 'm:1', entity: () => SnapshotVersion },
    customValues: { type: 'json' },
    provisionedAt: { type: 'datetime' },
  },
});
