import { EntityRepository } from '@mikro-orm/postgresql';
import type { PhoneNumber } from '../entities/phone-number.js';

export class PhoneNumberRepository extends EntityRepository<PhoneNumber> {
  /** The number a call or text came in on, with the sub-account it rings. */
  async route(e164: string): Promise<PhoneNumber | null> {
    return this.findOne({ e164 }, { populate: ['subAccount'] });
  }
}
