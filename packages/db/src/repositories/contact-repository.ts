import { EntityRepository } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Contact } from '../entities/contact.js';
import { pageSize } from './first-per-parent.js';
import { insertOnce } from './insert-once.js';

export interface ContactPage {
  first?: number | null;
  /** The id of the last contact of the previous page. */
  after?: string | null;
  /** Only contacts whose phone contains these digits (e.g. "5550101" or a whole number). */
  phoneDigits?: string | null;
}

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

  /**
   * Many sub-accounts' contacts, newest first, one page each in the order given (a lateral join
   * per sub-account), for dataloaders. A cursor that names no contact of the sub-account ends its list.
   */
  async pagePerSubAccount(subAccountIds: readonly string[], page: ContactPage): Promise<Contact[][]> {
    if (subAccountIds.length === 0) return [];
    const after = page.after ?? null;
    if (after !== null && !UUID.test(after)) return subAccountIds.map(() => []);
    const digits = page.phoneDigits ?? null;
    if (digits !== null && !/^\d+$/.test(digits)) throw new Error('phoneDigits must be digits only');
    const em = this.getEntityManager();
    // Knex expands an array binding into a list, so the array is spelled out placeholder by placeholder.
    const ids = subAccountIds.map(() => '?').join(', ');
    const rows: Record<string, unknown>[] = await em.execute(
      `select t.* from unnest(array[${ids}]::uuid[]) as s(id)
       cross join lateral (
         select c.* from contacts c
          where c.sub_account_id = s.id
            ${digits === null ? '' : `and c.phone like '%' || ?::text || '%'`}
            ${after === null ? '' : 'and (c.created_at, c.id) < (select a.created_at, a.id from contacts a where a.id = ?::uuid and a.sub_account_id = s.id)'}
          order by c.created_at desc, c.id desc
          limit ?
       ) t`,
      [...subAccountIds, ...(digits === null ? [] : [digits]), ...(after === null ? [] : [after]), pageSize(page.first)],
    );
    const groups = new Map<string, Contact[]>(subAccountIds.map((id) => [id, []]));
    for (const row of rows) groups.get(String(row.sub_account_id))?.push(em.map(Contact, row));
    return subAccountIds.map((id) => groups.get(id) ?? []);
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
