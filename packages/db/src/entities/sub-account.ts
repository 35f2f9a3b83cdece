import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Agency } from './agency.js';

export const SMS_PROVIDERS = ['outbox', 'twilio'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

/** A client business of an agency ("location" in templates). */
export class SubAccount {
  id: string = randomUUID();
  agency: Agency;
  name: string;
  /** IANA time zone, e.g. "America/Chicago". */
  timeZone: string;
  /** Where incoming calls are forwarded (the business's real phone), E.164. */
  forwardingNumber: string;
  /** Seconds the forwarded call rings before it counts as missed. */
  incomingCallTimeout: number;
  smsProvider: SmsProviderName = 'outbox';
  createdAt: Date = new Date();

  constructor(init: {
    agency: Agency;
    name: string;
    timeZone: string;
    forwardingNumber: string;
    incomingCallTimeout: number;
    smsProvider?: SmsProviderName;
  }) {
    this.agency = init.agency;
    this.name = init.name;
    this.timeZone = init.timeZone;
    this.forwardingNumber = init.forwardingNumber;
    this.incomingCallTimeout = init.incomingCallTimeout;
    if (init.smsProvider) this.smsProvider = init.smsProvider;
  }
}

export const SubAccountSchema = new EntitySchema<SubAccount>({
  class: SubAccount,
  tableName: 'sub_accounts',
  properties: {
    id: { type: 'uuid', primary: true },
    agency: { kind: 'm:1', entity: () => Agency, deleteRule: 'cascade', index: true },
    name: { type: 'text' },
    timeZone: { type: 'text' },
    forwardingNumber: { type: 'text' },
    incomingCallTimeout: { type: 'integer' },
    smsProvider: { type: 'text', default: 'outbox' },
    createdAt: { type: 'datetime' },
  },
});
