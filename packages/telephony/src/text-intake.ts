import { Contact, Message, PhoneNumber, type Orm } from '@mctb/db';
import { keywordIntent, parsePhone, sendIntentId } from '@mctb/domain';
import type { TextBackPort } from './text-back-port.js';

export interface InboundTextReport {
  messageSid: string;
  from: string;
  to: string;
  body: string;
}

export type TextDecision =
  | { kind: 'unknown_number'; number: string }
  | { kind: 'invalid_sender'; reason: string }
  /** `reply` is the one text we answer with (opt-out confirmation, HELP), or null for none. */
  | { kind: 'stored'; reply: string | null };

/**
 * Inbound SMS: stored once per MessageSid in the contact's conversation. Carrier keywords act at
 * once (STOP opts out and cancels everything pending); any other text cancels a pending text-back,
 * since the conversation has started.
 */
export class TextIntake {
  constructor(private readonly deps: { orm: Orm; textBack: TextBackPort }) {}

  async inbound(report: InboundTextReport): Promise<TextDecision> {
    const em = this.deps.orm.em.fork();
    const number = await em.getRepository(PhoneNumber).route(report.to);
    if (!number) return { kind: 'unknown_number', number: report.to };
    const sender = parsePhone(report.from);
    if (!sender.ok) return { kind: 'invalid_sender', reason: `From ${sender.reason}` };
    const { subAccount } = number;

    const contacts = em.getRepository(Contact);
    const { contact } = await contacts.findOrCreateByPhone(subAccount.id, sender.e164, 'inbound_sms');
    const { created } = await em.getRepository(Message).recordInbound({
      subAccountId: subAccount.id,
      contactId: contact.id,
      providerMessageId: report.messageSid,
      fromNumber: sender.e164,
      toNumber: report.to,
      body: report.body,
      provider: 'twilio',
    });

    const intent = keywordIntent(report.body);
    let reply: string | null = null;
    if (intent === 'opt_out') {
      await contacts.optOut(contact.id, new Date());
      await this.deps.textBack.optedOut(subAccount.id, sender.e164);
      reply = `You're unsubscribed from ${subAccount.name} texts and won't get more. Reply START to resubscribe.`;
    } else if (intent === 'opt_in') {
      await contacts.optIn(contact.id);
      reply = `You're resubscribed to ${subAccount.name} texts. Reply STOP to unsubscribe.`;
    } else if (intent === 'help') {
      reply = `${subAccount.name}: call us at ${report.to}. Reply STOP to unsubscribe.`;
    } else {
      await this.deps.textBack.callerTexted(subAccount.id, sender.e164, report.messageSid);
    }
    // A repeated webhook must not answer twice: only the first delivery replies, and the reply is
    // stored under a deterministic id like every other outbound text.
    if (reply === null || !created) return { kind: 'stored', reply: null };
    const messages = em.getRepository(Message);
    const intentId = sendIntentId(subAccount.id, report.messageSid, 'keyword-reply');
    await messages.recordIntent({
      intentId,
      subAccountId: subAccount.id,
      contactId: contact.id,
      callId: null,
      fromNumber: report.to,
      toNumber: sender.e164,
      body: reply,
      provider: 'twilio',
      segments: 1,
    });
    // The reply rides back in the webhook's TwiML: handed to the provider, like a queued send.
    await messages.recordDeliveryStatus({ intentId }, { status: 'queued' });
    return { kind: 'stored', reply };
  }
}
