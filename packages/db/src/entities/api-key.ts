import { EntitySchema, type EntityRepositoryType } from '@mikro-orm/core';
import { ApiKeyRepository } from '../repositories/api-key-repository.js';
import { randomUUID } from 'node:crypto';
import { Agency } from './agency.js';
import { SubAccount } from './sub-account.js';

/**
 * An API key; only its SHA-256 is stored. `prefix` (public, unique) finds the row, the hash proves
 * the secret. An agency key sees its agency; a key bound to a sub-account sees only that one.
 */
export class ApiKey {
  declare [EntityRepositoryType]?: ApiKeyRepository;
  id: string = randomUUID();
  agency: Agency;
  subAccount: SubAccount | null = null;
  name: string;
  prefix: string;
  secretHash: string;
  createdAt: Date = new Date();
  lastUsedAt: Date | null = null;
  revokedAt: Date | null = null;

  constructor(agency: Agency, name: string, prefix: string, secretHash: string) {
    this.agency = agency;
    this.name = name;
    this.prefix = prefix;
    this.secretHash = secretHash;
  }
}

export const ApiKeySchema = new EntitySchema<ApiKey>({
  class: ApiKey,
  repository: () => ApiKeyRepository,
  tableName: 'api_keys',
  properties: {
    id: { type: 'uuid', primary: true },
    agency: { kind: 'm:1', entity: () => Agency, deleteRule: 'cascade' },
    subAccount: { kind: 'm:1', entity: () => SubAccount, nullable: true, deleteRule: 'cascade' },
    name: { type: 'text' },
    prefix: { type: 'text', unique: true },
    secretHash: { type: 'text' },
    createdAt: { type: 'datetime' },
    lastUsedAt: { type: 'datetime', nullable: true },
    revokedAt: { type: 'datetime', nullable: true },
  },
});
