import { EntityRepository } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Contact } from '../entities/contact.js';
import { insertOnce } from './insert-once.js';

export class ContactRepository extends EntityRepository<Contact> {
  /** The contact for a phone number, created as a new lead (with its source) the first time. */
  async findOrCreateByPhone(subAccountId: string, phone: string, source: string): Promise<{ contact: Contact; created: boolean }> {
    const em = this.getEntityManager();
    const { row, created } = await insertOnce(
      em,
      Contact,
      `insert into contacts (id, sub_account_id, phone, source, created_at)
       values (?, ?, ?, ?, now())
       on conflict (sub_account_id, phone) do nothing
       returning *`,
      [randomUUID(), subAccountId, phone, source],
      () => this.findOneOrFail({ subAccount: subAccountId, phone }),
    );
    return { contact: row, created };
  }

  async findByPhone(subAccountId: string, phone: string): Promise<Contact | null> {
    return this.findOne({ subAccount: subAccountId, phone });
  }

  /** True when this opted the contact out; false when they already were (so one confirmation only). */
  async optOut(contactId: string, at: Date): Promise<boolean> {
    return (await this.getEntityManager().nativeUpdate(Contact, { id: contactId, optedOutAt: null }, { optedOutAt: at })) > 0;
  }

  /** True when this opted an opted-out contact back in. */
  async optIn(contactId: string): Promise<boolean> {
    return (await this.getEntityManager().nativeUpdate(Contact, { id: contactId, optedOutAt: { $ne: null } }, { optedOutAt: null })) > 0;
  }
}
