import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { driverQuery, toDate, type DriverQuery } from './driver.js';

export type NotificationChannel = 'sms' | 'email' | 'webhook';
export type NotificationStatus = 'pending' | 'sent' | 'failed';

/** What a `notify` or `webhook` step is about to send. */
export interface NotificationIntent {
  subAccountId: string;
  runId: string;
  stepId: string;
  channel: NotificationChannel;
  /** The address it goes to: an e-mail address, an E.164 number or a URL. */
  recipient: string;
  subject: string | null;
  body: string;
}

export interface NotificationView extends NotificationIntent {
  id: string;
  status: NotificationStatus;
  /** The latest attempt's outcome, in words. */
  detail: string | null;
  /** Attempts to deliver it so far (this one included, for an open). */
  attempts: number;
  /** Webhooks: the receiver's latest HTTP status and how long that exchange took. */
  responseStatus: number | null;
  latencyMs: number | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** How an attempt ended. `pending`: it failed and will be tried again. */
export interface NotificationAttempt {
  status: NotificationStatus;
  detail: string;
  responseStatus?: number | null;
  latencyMs?: number | null;
  at: Date;
}

const COLUMNS = `id, sub_account_id, run_id, step_id, channel, recipient, subject, body, status, detail, attempts, response_status, latency_ms, created_at, sent_at`;

/**
 * The notifications of `notify` and `webhook` steps, as plain statements. The row is the intent
 * stored before anything is sent (one per run and step): a retried activity finds it, and does
 * nothing more once it is sent. The worker's activities are the only writers.
 */
export class NotificationStore {
  private readonly query: DriverQuery;

  constructor(orm: MikroORM) {
    this.query = driverQuery(orm.em);
  }

  /**
   * Stores the intent the first time and counts an attempt, in one statement. A later call gets
   * the stored row (its first recipient and body stand, so every attempt sends the same thing);
   * an attempt is counted only while the notification is still pending.
   */
  async open(intent: NotificationIntent): Promise<NotificationView> {
    const [row] = await this.query(
      `insert into notifications (id, sub_account_id, run_id, step_id, channel, recipient, subject, body, status, attempts)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 1)
       on conflict (run_id, step_id) do update
         set attempts = notifications.attempts + case when notifications.status = 'pending' then 1 else 0 end
       returning ${COLUMNS}`,
      [randomUUID(), intent.subAccountId, intent.runId, intent.stepId, intent.channel, intent.recipient, intent.subject, intent.body],
    );
    return viewOf(row!);
  }

  /** Records how the latest attempt ended. A notification once sent stays sent. */
  async settle(id: string, attempt: NotificationAttempt): Promise<void> {
    await this.query(
      `update notifications set status = $2, detail = $3, response_status = $4, latency_ms = $5,
              sent_at = case when $2 = 'sent' then $6::timestamptz else sent_at end
        where id = $1 and status <> 'sent'`,
      [id, attempt.status, attempt.detail, attempt.responseStatus ?? null, attempt.latencyMs ?? null, attempt.at],
    );
  }

  /** The notifications a run sent, oldest first. */
  async ofRun(runId: string): Promise<NotificationView[]> {
    const rows = await this.query(`select ${COLUMNS} from notifications where run_id = $1 order by created_at, step_id`, [runId]);
    return rows.map(viewOf);
  }

  /** The owner's addresses for `to: owner`; null when the sub-account no longer exists. */
  async ownerOf(subAccountId: string): Promise<{ email: string | null; phone: string | null } | null> {
    const [row] = await this.query('select owner_email, owner_phone from sub_accounts where id = $1', [subAccountId]);
    return row ? { email: row.owner_email as string | null, phone: row.owner_phone as string | null } : null;
  }

  /**
   * The sub-account's webhook signing secret. The first caller's `candidate` becomes it; concurrent
   * first uses agree on one (the update keeps a secret already set). Null: no such sub-account.
   */
  async signingSecret(subAccountId: string, candidate: string): Promise<string | null> {
    const [stored] = await this.query('select webhook_signing_secret from sub_accounts where id = $1', [subAccountId]);
    if (!stored) return null;
    if (stored.webhook_signing_secret !== null) return stored.webhook_signing_secret as string;
    // Under the row lock the update sees a secret another first use just set, and keeps it.
    const [row] = await this.query(
      `update sub_accounts set webhook_signing_secret = coalesce(webhook_signing_secret, $2) where id = $1 returning webhook_signing_secret`,
      [subAccountId, candidate],
    );
    return (row?.webhook_signing_secret as string | undefined) ?? null;
  }
}

function viewOf(row: Record<string, unknown>): NotificationView {
  return {
    id: row.id as string,
    subAccountId: row.sub_account_id as string,
    runId: row.run_id as string,
    stepId: row.step_id as string,
    channel: row.channel as NotificationChannel,
    recipient: row.recipient as string,
    subject: row.subject as string | null,
    body: row.body as string,
    status: row.status as NotificationStatus,
    detail: row.detail as string | null,
    attempts: row.attempts as number,
    responseStatus: row.response_status as number | null,
    latencyMs: row.latency_ms as number | null,
    createdAt: toDate(row.created_at) as Date,
    sentAt: toDate(row.sent_at),
  };
}
