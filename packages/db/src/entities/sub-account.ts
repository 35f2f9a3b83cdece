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
  /** "Press 1 to accept": only a pressed 1 counts as a human answer of the forwarded call. */
  pressOneToAccept = false;
  /** Answering-machine detection on the forwarded call, so a carrier voicemail is not an answer. */
  machineDetection = true;
  /** A forwarded call connected for less than this is not an answer (0: off). */
  minAnsweredSeconds = 0;
  /**
   * Text-back paused from..until (a downtime window): the worker records missed calls inside it as
   * skipped, "paused". All three are null when no pause is set.
   */
  automationsPausedFrom: Date | null = null;
  automationsPausedUntil: Date | null = null;
  automationsPausedReason: string | null = null;
  /** Where `notify` steps addressed to `owner` go (by e-mail, or by SMS in E.164); null: not set. */
  ownerEmail: string | null = null;
  ownerPhone: string | null = null;
  /** HMAC key of the sub-account's outgoing webhooks; the worker makes one on first use. */
  webhookSigningSecret: string | null = null;
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
    pressOneToAccept: { type: 'boolean', default: false },
    machineDetection: { type: 'boolean', default: true },
    minAnsweredSeconds: { type: 'integer', default: 0 },
    automationsPausedFrom: { type: 'datetime', nullable: true },
    automationsPausedUntil: { type: 'datetime', nullable: true },
    automationsPausedReason: { type: 'text', nullable: true },
    ownerEmail: { type: 'text', nullable: true },
    ownerPhone: { type: 'text', nullable: true },
    // A secret: never serialized with the sub-account.
    webhookSigningSecret: { type: 'text', nullable: true, hidden: true },
    createdAt: { type: 'datetime' },
  },
});
