import { EntitySchema, type EntityRepositoryType } from '@mikro-orm/core';
import { PhoneNumberRepository } from '../repositories/phone-number-repository.js';
import { SubAccount } from './sub-account.js';

/** A provider number (Twilio) that belongs to a sub-account; the gateway routes calls by it. */
export class PhoneNumber {
  declare [EntityRepositoryType]?: PhoneNumberRepository;
  /** E.164; unique across the platform since one number rings one business. */
  e164: string;
  subAccount: SubAccount;
  smsCapable = true;
  /**
   * The Twilio account that holds the number, as checked at the provider when it was claimed; the
   * gateway takes webhooks about it only signed with that account's token. Null: claimed without a
   * check (no Twilio account was configured), so it counts as the platform account's.
   */
  accountSid: string | null = null;
  createdAt: Date = new Date();

  constructor(e164: string, subAccount: SubAccount) {
    this.e164 = e164;
    this.subAccount = subAccount;
  }
}

export const PhoneNumberSchema = new EntitySchema<PhoneNumber>({
  class: PhoneNumber,
  repository: () => PhoneNumberRepository,
  tableName: 'phone_numbers',
  properties: {
    e164: { type: 'text', primary: true },
    subAccount: { kind: 'm:1', entity: () => SubAccount, deleteRule: 'cascade', index: true },
    smsCapable: { type: 'boolean', default: true },
    accountSid: { type: 'text', nullable: true },
    createdAt: { type: 'datetime' },
  },
});
