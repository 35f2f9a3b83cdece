import { EntitySchema } from '@mikro-orm/core';
import { Contact } from './contact.js';
import { SubAccount } from './sub-account.js';

/** Up to when a team member has read a contact's conversation (the control plane writes it, and only it). */
export class ConversationRead {
  contact: Contact;
  subAccount: SubAccount;
  readAt: Date;

  constructor(contact: Contact, subAccount: SubAccount, readAt: Date) {
    this.contact = contact;
    this.subAccount = subAccount;
    this.readAt = readAt;
  }
}

export const ConversationReadSchema = new EntitySchema<ConversationRead>({
  class: ConversationRead,
  tableName: 'conversation_reads',
  properties: {
    contact: { kind: '1:1', entity: () => Contact, primary: true, owner: true, deleteRule: 'cascade' },
    subAccount: { kind: 'm:1', entity: () => SubAccount, deleteRule: 'cascade' },
    readAt: { type: 'datetime' },
  },
});
