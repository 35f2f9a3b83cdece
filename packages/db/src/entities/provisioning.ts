import { EntitySchema, type EntityRepositoryType } from '@mikro-orm/core';
import type { LocalEdits } from '@mctb/snapshots';
import { ProvisioningRepository } from '../repositories/provisioning-repository.js';
import { SubAccount } from './sub-account.js';
import { SnapshotVersion } from './snapshot.js';

export type { LocalEdits };

/** The snapshot version a sub-account runs, with that client's own custom values. */
export class Provisioning {
  declare [EntityRepositoryType]?: ProvisioningRepository;
  subAccount: SubAccount;
  snapshotVersion: SnapshotVersion;
  customValues: Record<string, string>;
  localEdits: LocalEdits = {};
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
    localEdits: { type: 'json', default: '{}' },
    provisionedAt: { type: 'datetime' },
  },
});
