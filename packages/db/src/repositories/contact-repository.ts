import { EntityRepository } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Contact } from '../entities/contact.js';

export class ContactRepository extends EntityRepository<Contact> {
  /** The contact for a phone number, created as a new lead (with its source) the first time. */
  async findOrCreateByPhone(subAccountId: string, phone: string, source: string): Promise<{ contact: Contact; created: boolean }> {
    const em = this.getEntityManager();
    const rows: Record<string, unknown>[] = await em.execute(
      `insert into contacts (id, sub_account_id, phone, source, created_at)
       values (?, ?, ?, ?, now())
       on conflict (sub_account_id, phone) do nothing
       returning *`,
      [randomUUID(), subAccountId, phone, source],
    );
    const inserted = rows[0];
    if (inserted) return { contact: em.map(Contact, inserted), created: true };
    return { contact: await this.findOneOrFail({ subAccount: subAccountId, phone }), created: false };
  }

  async findByPhone(subAccountId: string, phone: string): Promise<Contact | null> {
    return this.findOne({ subAccount: subAccountId, phone });
  }

  async optOut(contactId: string, at: Date): Promise<void> {
    await this.getEntityManager().nativeUpdate(Contact, { id: contactId, optedOutAt: null }, { optedOutAt: at });
  }

  async optIn(contactId: string): Promise<void> {
    await this.getEntityManager().nativeUpdate(Contact, { id: contactId }, { optedOutAt: null });
  }
}
