import type { EntityManager } from '@mctb/db';
import { OutboxMessage } from '@mctb/db';
import { randomUUID } from 'node:crypto';
import type { OutboundSms, ProviderSendResult, SmsProvider } from './provider.js';

/**
 * Development provider: texts are written to the outbox_messages table instead of a carrier.
 * Keyed by intent id, so even a send repeated past every other guard lands once.
 */
export class OutboxProvider implements SmsProvider {
  readonly name = 'outbox';

  constructor(private readonly em: () => EntityManager) {}

  async send(sms: OutboundSms): Promise<ProviderSendResult> {
    const em = this.em();
    await em.execute(
      `insert into outbox_messages (id, intent_id, from_number, to_number, body, created_at)
       values (?, ?, ?, ?, ?, now())
       on conflict (intent_id) do nothing`,
      [randomUUID(), sms.intentId, sms.from, sms.to, sms.body],
    );
    const stored = await em.findOneOrFail(OutboxMessage, { intentId: sms.intentId });
    return { kind: 'accepted', providerMessageId: `outbox_${stored.id}`, status: 'delivered' };
  }

  async findAccepted(sms: OutboundSms): Promise<{ providerMessageId: string; status: 'delivered' } | null> {
    const stored = await this.em().findOne(OutboxMessage, { intentId: sms.intentId });
    return stored ? { providerMessageId: `outbox_${stored.id}`, status: 'delivered' } : null;
  }
}
