import { LockMode } from '@mikro-orm/core';
import { EntityRepository } from '@mikro-orm/postgresql';
import { isStatusAdvance, type MessageStatus } from '@mctb/domain';
import { randomUUID } from 'node:crypto';
import { Message } from '../entities/message.js';
import { insertOnce } from './insert-once.js';
import { newestPerSubAccount, type RecentPage } from './newest-per-sub-account.js';

export interface SendIntent {
  intentId: string;
  subAccountId: string;
  contactId: string | null;
  callId: string | null;
  fromNumber: string;
  toNumber: string;
  body: string;
  provider: string;
  segments: number;
}

export interface InboundText {
  subAccountId: string;
  contactId: string;
  providerMessageId: string;
  fromNumber: string;
  toNumber: string;
  body: string;
  provider: string;
}

export class MessageRepository extends EntityRepository<Message> {
  /**
   * Stores the intent to send before any provider is called. The intent id is deterministic, so
   * a retry of the same step finds the row it stored the first time instead of making another.
   */
  async recordIntent(intent: SendIntent): Promise<{ message: Message; created: boolean }> {
    const em = this.getEntityManager();
    const { row, created } = await insertOnce(
      em,
      Message,
      `insert into messages (id, sub_account_id, contact_id, call_id, direction, from_number, to_number, body,
                             status, provider, intent_id, segments, created_at, updated_at)
       values (?, ?, ?, ?, 'outbound', ?, ?, ?, 'pending', ?, ?, ?, now(), now())
       on conflict (intent_id) do nothing
       returning *`,
      [
        randomUUID(),
        intent.subAccountId,
        intent.contactId,
        intent.callId,
        intent.fromNumber,
        intent.toNumber,
        intent.body,
        intent.provider,
        intent.intentId,
        intent.segments,
      ],
      () => this.findOneOrFail({ intentId: intent.intentId }),
    );
    return { message: row, created };
  }

  /** Stores an inbound text once per provider message id (providers repeat webhooks). */
  async recordInbound(text: InboundText): Promise<{ message: Message; created: boolean }> {
    const em = this.getEntityManager();
    const { row, created } = await insertOnce(
      em,
      Message,
      `insert into messages (id, sub_account_id, contact_id, direction, from_number, to_number, body,
                             status, provider, provider_message_id, created_at, updated_at)
       values (?, ?, ?, 'inbound', ?, ?, ?, 'received', ?, ?, now(), now())
       on conflict (provider_message_id) do nothing
       returning *`,
      [
        randomUUID(),
        text.subAccountId,
        text.contactId,
        text.fromNumber,
        text.toNumber,
        text.body,
        text.provider,
        text.providerMessageId,
      ],
      () => this.findOneOrFail({ providerMessageId: text.providerMessageId }),
    );
    return { message: row, created };
  }

  /**
   * Claims the right to call the provider for a pending send, for `leaseSeconds`. Returns the
   * attempt number, or null when the send is settled or another attempt holds the lease.
   */
  async claimSendAttempt(messageId: string, leaseSeconds: number): Promise<number | null> {
    const rows: { attempts: number }[] = await this.getEntityManager().execute(
      `update messages
          set attempts = attempts + 1, send_lease_until = now() + make_interval(secs => ?), updated_at = now()
        where id = ? and status = 'pending' and provider_message_id is null
          and (send_lease_until is null or send_lease_until < now())
        returning attempts`,
      [leaseSeconds, messageId],
    );
    return rows[0]?.attempts ?? null;
  }

  async releaseSendLease(messageId: string): Promise<void> {
    await this.getEntityManager().nativeUpdate(Message, { id: messageId }, { sendLeaseUntil: null });
  }

  async findByIntent(intentId: string): Promise<Message | null> {
    return this.findOne({ intentId });
  }

  /**
   * Applies a delivery report. Reports arrive out of order and repeat, so the status only moves
   * forward; a report can also be the first we hear of the provider's id (the crash window).
   */
  async recordDeliveryStatus(
    where: { intentId: string } | { providerMessageId: string },
    report: { status: MessageStatus; providerMessageId?: string; errorCode?: number | null; errorMessage?: string | null },
  ): Promise<Message | null> {
    return this.getEntityManager().transactional(async (em) => {
      const message = await em.findOne(Message, where, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!message) return null;
      if (report.providerMessageId && !message.providerMessageId) message.providerMessageId = report.providerMessageId;
      message.sendLeaseUntil = null;
      if (isStatusAdvance(message.status, report.status)) {
        message.status = report.status;
        if (report.errorCode !== undefined) message.errorCode = report.errorCode;
        if (report.errorMessage !== undefined) message.errorMessage = report.errorMessage;
        message.updatedAt = new Date();
      }
      return message;
    });
  }

  async countOutboundSince(subAccountId: string, toNumber: string, since: Date): Promise<number> {
    return this.count({ subAccount: subAccountId, toNumber, direction: 'outbound', createdAt: { $gte: since } });
  }

  /** Newest first for each sub-account given (one list per id, in order); see newestPerSubAccount. */
  async newestPerSubAccount(subAccountIds: readonly string[], page: RecentPage): Promise<Message[][]> {
    const em = this.getEntityManager();
    const groups = await newestPerSubAccount(em, 'messages', 'created_at', subAccountIds, page);
    return groups.map((rows) => rows.map((row) => em.map(Message, row)));
  }
}
