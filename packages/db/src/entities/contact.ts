import { EntitySchema, type EntityRepositoryType } from '@mikro-orm/core';
import { ContactRepository } from '../repositories/contact-repository.js';
import { randomUUID } from 'node:crypto';
import { SubAccount } from './sub-account.js';

/** A caller or lead of a sub-account, one per phone number. */
export class Contact {
  declare [EntityRepositoryType]?: ContactRepository;
  id: string = randomUUID();
  subAccount: SubAccount;
  phone: string;
  firstName = '';
  lastName = '';
  tags: string[] = [];
  /** How the contact first reached us, e.g. "missed_call". */
  source: string;
  /** Set when the contact texted STOP (or similar); nothing is sent to them after that. */
  optedOutAt: Date | null = null;
  createdAt: Date = new Date();

  constructor(subAccount: SubAccount, phone: string, source: string) {
    this.subAccount = subAccount;
    this.phone = phone;
    this.source = source;
  }
}

export const ContactSchema = new EntitySchema<Contact>({
  class: Contact,
  repository: () => ContactRepository,
  tableName: 'contacts',
  uniques: [{ properties: ['subAccount', 'phone'] }],
  // Opt-outs by day, for the metrics.
  indexes: [{ name: 'contacts_opted_out_idx', expression: 'create index "contacts_opted_out_idx" on "contacts" ("sub_account_id", "opted_out_at") where "opted_out_at" is not null' }],
  properties: {
    id: { type: 'uuid', primary: true },
    subAccount: { kind: 'm:1', entity: () => SubAccount, deleteRule: 'cascade' },
    phone: { type: 'text' },
    firstName: { type: 'text', default: '' },
    lastName: { type: 'text', default: '' },
    tags: { type: 'json', default: '[]' },
    source: { type: 'text' },
    optedOutAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime' },
  },
});
