import { EntitySchema, type EntityRepositoryType } from '@mikro-orm/core';
import { MessageRepository } from '../repositories/message-repository.js';
import type { MessageStatus } from '@mctb/domain';
import { randomUUID } from 'node:crypto';
import { Call } from './call.js';
import { Contact } from './contact.js';
import { SubAccount } from './sub-account.js';

export type MessageDirection = 'outbound' | 'inbound';

/**
 * A text in a contact's conversation. An outbound one is first stored as a send intent
 * (status "pending", unique intentId) before the provider is called: that row is what makes a
 * retried or crashed send happen once (DESIGN §4).
 */
export class Message {
  declare [EntityRepositoryType]?: MessageRepository;
  id: string = randomUUID();
  subAccount: SubAccount;
  contact: Contact | null = null;
  /** The call this text answers, for text-backs. */
  call: Call | null = null;
  direction: MessageDirection;
  fromNumber: string;
  toNumber: string;
  body: string;
  status: MessageStatus;
  /** The provider that carried it ("outbox", "twilio"). */
  provider: string;
  providerMessageId: string | null = null;
  /** Deterministic id of the send (workflow + step); null for inbound texts. */
  intentId: string | null = null;
  errorCode: number | null = null;
  errorMessage: string | null = null;
  segments = 1;
  /** Provider calls made for this send, including retries. */
  attempts = 0;
  /** While set and in the future, one attempt holds the right to call the provider. */
  sendLeaseUntil: Date | null = null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();

  constructor(init: {
    subAccount: SubAccount;
    direction: MessageDirection;
    fromNumber: string;
    toNumber: string;
    body: string;
    status: MessageStatus;
    provider: string;
  }) {
    this.subAccount = init.subAccount;
    this.direction = init.direction;
    this.fromNumber = init.fromNumber;
    this.toNumber = init.toNumber;
    this.body = init.body;
    this.status = init.status;
    this.provider = init.provider;
  }
}

export const MessageSchema = new EntitySchema<Message>({
  class: Message,
  repository: () => MessageRepository,
  tableName: 'messages',
  indexes: [
    { properties: ['subAccount', 'createdAt'] },
    { properties: ['contact', 'createdAt'] },
    // A call's own texts, for the metrics (time to text, delivery, replies after it).
    { name: 'messages_call_id_created_at_idx', expression: 'create index "messages_call_id_created_at_idx" on "messages" ("call_id", "created_at") where "call_id" is not null' },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    subAccount: { kind: 'm:1', entity: () => SubAccount, deleteRule: 'cascade' },
    contact: { kind: 'm:1', entity: () => Contact, nullable: true, deleteRule: 'set null' },
    call: { kind: 'm:1', entity: () => Call, nullable: true, deleteRule: 'set null' },
    direction: { type: 'text' },
    fromNumber: { type: 'text' },
    toNumber: { type: 'text' },
    body: { type: 'text' },
    status: { type: 'text' },
    provider: { type: 'text' },
    providerMessageId: { type: 'text', nullable: true, unique: true },
    intentId: { type: 'text', nullable: true, unique: true },
    errorCode: { type: 'integer', nullable: true },
    errorMessage: { type: 'text', nullable: true },
    segments: { type: 'integer', default: 1 },
    attempts: { type: 'integer', default: 0 },
    sendLeaseUntil: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
