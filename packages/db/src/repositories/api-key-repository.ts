import { EntityRepository } from '@mikro-orm/postgresql';
import type { ApiKey } from '../entities/api-key.js';

export class ApiKeyRepository extends EntityRepository<ApiKey> {
  async findActiveByPrefix(prefix: string): Promise<ApiKey | null> {
    return this.findOne({ prefix, revokedAt: null }, { populate: ['agency', 'subAccount'] });
  }
}
