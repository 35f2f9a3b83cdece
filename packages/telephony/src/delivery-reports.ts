import { Message, type Orm } from '@mctb/db';
import { messageStatusFromProvider, type MessageStatus } from '@mctb/domain';

export interface DeliveryReport {
  messageSid: string;
  messageStatus: string;
  errorCode: number | null;
  /** Our send intent id, carried in the status-callback URL. */
  intentId: string | null;
}

export type DeliveryDecision = { kind: 'applied'; status: MessageStatus } | { kind: 'ignored'; reason: string } | { kind: 'unknown_message' };

/** Provider status callbacks: queued → sent → delivered/undelivered/failed, never backwards. */
export class DeliveryReports {
  constructor(private readonly deps: { orm: Orm }) {}

  async apply(report: DeliveryReport): Promise<DeliveryDecision> {
    const status = messageStatusFromProvider(report.messageStatus);
    if (!status) return { kind: 'ignored', reason: `status "${report.messageStatus}" is not tracked` };
    const messages = this.deps.orm.em.fork().getRepository(Message);
    // The intent id finds the message even when the provider's id was never stored (crash window).
    const where = report.intentId ? { intentId: report.intentId } : { providerMessageId: report.messageSid };
    const updated = await messages.recordDeliveryStatus(where, {
      status,
      providerMessageId: report.messageSid,
      errorCode: report.errorCode,
      ...(report.errorCode !== null ? { errorMessage: `provider error ${report.errorCode}` } : {}),
    });
    return updated ? { kind: 'applied', status } : { kind: 'unknown_message' };
  }
}
