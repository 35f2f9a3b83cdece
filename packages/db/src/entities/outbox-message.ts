import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * The development SMS provider's "carrier": texts land here instead of on a phone.
 * One row per send intent, so the outbox itself can never hold a duplicate.
 */
export class OutboxMessage {
  id: string = randomUUID();
  intentId: string;
  fromNumber: string;
  toNumber: string;
  body: string;
  createdAt: Date = new Date();

  constructor(init: { intentId: string; fromNumber: string; toNumber: string; body: string }) {
    this.intentId = init.intentId;
    this.fromNumber = init.fromNumber;
    this.toNumber = init.toNumber;
    this.body = init.body;
  }
}

export const OutboxMessageSchema = new EntitySchema<OutboxMessage>({
  class: OutboxMessage,
  tableName: 'outbox_messages',
  properties: {
    id: { type: 'uuid', primary: true },
    intentId: { type: 'text', unique: true },
    fromNumber: { type: 'text' },
    toNumber: { type: 'text', index: true },
    body: { type: 'text' },
    createdAt: { type: 'datetime' },
  },
});
