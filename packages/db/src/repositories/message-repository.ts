import { EntityRepository } from '@mikro-orm/postgresql';
import { MESSAGE_STATUS_RANK, MESSAGE_STATUSES, type MessageStatus } from '@mctb/domain';
import { randomUUID } from 'node:crypto';
import { driverQuery, entityColumns } from '../driver.js';
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
   * Applies a delivery report in one statement. Reports arrive out of order and repeat, so the status
   * only moves forward (by MESSAGE_STATUS_RANK, decided on the row as it is when updated); a report
   * can also be the first we hear of the provider's id (the crash window). False when no message matches.
   */
  async recordDeliveryStatus(
    where: { intentId: string } | { providerMessageId: string },
    report: { status: MessageStatus; providerMessageId?: string; errorCode?: number | null; errorMessage?: string | null },
  ): Promise<boolean> {
    const advance = `(${STATUS_RANK_SQL}) < $3`;
    const rows = await driverQuery(this.getEntityManager())(
      `update messages set
          provider_message_id = coalesce(provider_message_id, $2),
          send_lease_until = null,
          status = case when ${advance} then $4 else status end,
          error_code = case when ${advance} and $5::boolean then $6 else error_code end,
          error_message = case when ${advance} and $7::boolean then $8 else error_message end,
          updated_at = case when ${advance} then now() else updated_at end
        where ${'intentId' in where ? 'intent_id' : 'provider_message_id'} = $1
        returning id`,
      [
        'intentId' in where ? where.intentId : where.providerMessageId,
        report.providerMessageId ?? null,
        MESSAGE_STATUS_RANK[report.status],
        report.status,
        report.errorCode !== undefined,
        report.errorCode ?? null,
        report.errorMessage !== undefined,
        report.errorMessage ?? null,
      ],
    );
    return rows.length > 0;
  }

  /**
   * Stores the intent of a send (or finds it, on a retry) with the recipient's opt-out, in one round
   * trip. A new intent is stored with its first attempt's lease already taken (attempt 1), so the
   * first send needs no separate claim.
   */
  async openSendIntent(intent: SendIntent, leaseSeconds: number): Promise<{ message: Message; created: boolean; recipientOptedOut: boolean }> {
    const em = this.getEntityManager();
    const query = driverQuery(em);
    const withContact = (from: string) =>
      `select ${entityColumns(em, Message, 'm')}, c.opted_out_at as recipient_opted_out_at from ${from} m left join contacts c on c.id = m.contact_id`;
    const [inserted] = await query(
      `with inserted as (
         insert into messages (id, sub_account_id, contact_id, call_id, direction, from_number, to_number, body, status, provider,
                               intent_id, segments, attempts, send_lease_until, created_at, updated_at)
         values ($1, $2, $3, $4, 'outbound', $5, $6, $7, 'pending', $8, $9, $10, 1, now() + make_interval(secs => $11), now(), now())
         on conflict (intent_id) do nothing
         returning *
       ) ${withContact('inserted')}`,
      [randomUUID(), intent.subAccountId, intent.contactId, intent.callId, intent.fromNumber, intent.toNumber, intent.body, intent.provider, intent.intentId, intent.segments, leaseSeconds],
    );
    const row = inserted ?? (await query(`${withContact('messages')} where m.intent_id = $1`, [intent.intentId]))[0];
    if (!row) throw new Error(`send intent ${intent.intentId} was neither stored nor found`);
    const { recipient_opted_out_at: optedOut, ...message } = row;
    return { message: em.map(Message, message), created: inserted !== undefined, recipientOptedOut: optedOut !== null };
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

/** The rank of the row's current status, as SQL (from the domain's table, so the two can't disagree). */
const STATUS_RANK_SQL = `case status ${MESSAGE_STATUSES.map((status) => `when '${status}' then ${MESSAGE_STATUS_RANK[status]}`).join(' ')} end`;
