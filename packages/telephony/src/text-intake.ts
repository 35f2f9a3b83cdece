import { Contact, Message, type Orm } from '@mctb/db';
import { keywordIntent, parsePhone, sendIntentId } from '@mctb/domain';
import { silentLogger, type Logger } from '@mctb/service-kit';
import { withDeadline } from './deadline.js';
import type { Route, Routes } from './routes.js';
import type { TextBackPort } from './text-back-port.js';

export interface InboundTextReport {
  messageSid: string;
  from: string;
  to: string;
  body: string;
}

export type TextDecision =
  | { kind: 'unknown_number'; number: string }
  /** Nothing to store: the sender is not a phone number we could ever text (a short code, a name). */
  | { kind: 'ignored'; reason: string }
  /**
   * `reply` is the one text we answer with (opt-out confirmation, HELP), or null for none; `first`
   * is false for a repeated webhook of a stored text; `optedOut` when this text opted the contact out.
   */
  | { kind: 'stored'; reply: string | null; first: boolean; optedOut: boolean }
  /** PostgreSQL was unavailable: the text-back was still told (cancelled), the text itself not stored. */
  | { kind: 'unstored' };

/**
 * Inbound SMS: stored once per MessageSid in the contact's conversation. An opt-out keyword acts at
 * once (opts out, cancels everything pending, confirms once); START/UNSTOP/YES opt an opted-out
 * contact back in; HELP/INFO are answered. Any text from the caller, keyword or not (except an
 * opt-out, which cancels on its own), cancels a pending text-back: the conversation has started.
 */
export class TextIntake {
  private readonly log: Logger;

  constructor(private readonly deps: { orm: Orm; textBack: TextBackPort; routes: Routes; log?: Logger; deadlineMs?: number }) {
    this.log = deps.log ?? silentLogger;
  }

  async inbound(report: InboundTextReport): Promise<TextDecision> {
    const routed = await this.deps.routes.lookup(report.to);
    if (routed.kind === 'unknown') return { kind: 'unknown_number', number: report.to };
    const sender = parsePhone(report.from);
    if (!sender.ok) return { kind: 'ignored', reason: `From ${sender.reason}` };
    if (routed.kind === 'unavailable') {
      this.log.warn({ messageSid: report.messageSid, err: routed.error }, 'inbound text could not be routed: PostgreSQL is unavailable and the number was never seen');
      return { kind: 'unstored' };
    }
    const { route } = routed;
    try {
      return await withDeadline('store the inbound text', this.deps.deadlineMs ?? 4_000, () => this.store(route, sender.e164, report));
    } catch (error) {
      this.log.warn({ messageSid: report.messageSid, err: error }, 'could not store an inbound text; cancelling the pending text-back anyway');
      await this.tellTextBack(route.subAccountId, sender.e164, report, keywordIntent(report.body) === 'opt_out');
      return { kind: 'unstored' };
    }
  }

  private async store(route: Route, from: string, report: InboundTextReport): Promise<TextDecision> {
    const em = this.deps.orm.em.fork();
    const contacts = em.getRepository(Contact);
    const { contact } = await contacts.findOrCreateByPhone(route.subAccountId, from, 'inbound_sms');
    const { created } = await em.getRepository(Message).recordInbound({
      subAccountId: route.subAccountId,
      contactId: contact.id,
      providerMessageId: report.messageSid,
      fromNumber: from,
      toNumber: report.to,
      body: report.body,
      provider: 'twilio',
    });

    const intent = keywordIntent(report.body);
    let reply: string | null = null;
    let optedOut = false;
    if (intent === 'opt_out') {
      // Only the text that opted them out is confirmed; a repeated STOP gets no further text.
      if (await contacts.optOut(contact.id, new Date())) {
        optedOut = true;
        reply = `You're unsubscribed from ${route.businessName} texts and won't get more. Reply START to resubscribe.`;
      }
    } else if (intent === 'opt_in' && (await contacts.optIn(contact.id))) {
      reply = `You're resubscribed to ${route.businessName} texts. Reply STOP to unsubscribe.`;
    } else if (intent === 'help') {
      reply = `${route.businessName}: call us at ${report.to}. Reply STOP to unsubscribe.`;
    }
    await this.tellTextBack(route.subAccountId, from, report, intent === 'opt_out');
    // Keywords (STOP, HELP, START) are the carrier's business, not a conversation to automate.
    if (intent === null) await this.startMessageAutomation(route.subAccountId, from, report);

    // A repeated webhook must not answer twice: only the first delivery replies, and the reply is
    // stored under a deterministic id like every other outbound text.
    if (reply === null || !created) return { kind: 'stored', reply: null, first: created, optedOut };
    const messages = em.getRepository(Message);
    const intentId = sendIntentId(route.subAccountId, report.messageSid, 'keyword-reply');
    await messages.recordIntent({
      intentId,
      subAccountId: route.subAccountId,
      contactId: contact.id,
      callId: null,
      fromNumber: report.to,
      toNumber: from,
      body: reply,
      provider: 'twilio',
      segments: 1,
    });
    // The reply rides back in the webhook's TwiML: handed to the provider, like a queued send.
    await messages.recordDeliveryStatus({ intentId }, { status: 'queued' });
    return { kind: 'stored', reply, first: created, optedOut };
  }

  /**
   * Starts the sub-account's automation on received texts; best effort like the signal above: the
   * text is stored and answered whatever happens here, and the failure is logged.
   */
  private async startMessageAutomation(subAccountId: string, from: string, report: InboundTextReport): Promise<void> {
    try {
      await this.deps.textBack.messageReceived(subAccountId, from, { messageSid: report.messageSid, to: report.to });
    } catch (error) {
      this.log.warn({ messageSid: report.messageSid, err: error }, 'could not start the automation for an inbound text');
    }
  }

  /** Cancels the caller's pending text-back; best effort (a workflow that isn't running needs nothing). */
  private async tellTextBack(subAccountId: string, from: string, report: InboundTextReport, optedOut: boolean): Promise<void> {
    try {
      if (optedOut) await this.deps.textBack.optedOut(subAccountId, from);
      else await this.deps.textBack.callerTexted(subAccountId, from, report.messageSid);
    } catch (error) {
      // The text is stored: the workflow's own check before sending finds the reply (or the opt-out).
      this.log.warn({ messageSid: report.messageSid, err: error }, 'could not tell the text-back workflow about an inbound text');
    }
  }
}
