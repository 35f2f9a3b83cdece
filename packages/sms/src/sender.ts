import type { EntityManager } from '@mctb/db';
import type { MessageStatus } from '@mctb/domain';
import { messageSegments } from '@mctb/templates';
import { Message } from '@mctb/db';
import type { OutboundSms, SmsProvider } from './provider.js';

export interface SendRequest {
  /** Deterministic id of this send (DESIGN §4): the same step always carries the same id. */
  intentId: string;
  subAccountId: string;
  contactId: string | null;
  callId: string | null;
  from: string;
  to: string;
  body: string;
  provider: string;
}

export type SendOutcome =
  | {
      kind: 'sent';
      messageId: string;
      providerMessageId: string;
      status: MessageStatus;
      /** True when an earlier attempt had already sent it and this call only found it. */
      alreadySent: boolean;
    }
  | { kind: 'refused'; messageId: string; code: number | null; reason: string };

export interface SmsSenderDeps {
  /** A fresh EntityManager fork for each send. */
  em: () => EntityManager;
  providers: Readonly<Record<string, SmsProvider>>;
  /** Where the provider reports delivery for this intent; null when there is no public URL. */
  statusCallbackUrl: (intentId: string) => string | null;
}

/**
 * Longer than any provider call may take (the Twilio client times out after 10 s) and than one send
 * activity attempt (20 s), so a worker killed mid-send blocks the retry for half a minute at most.
 */
const SEND_LEASE_SECONDS = 30;

/** The sub-account sends through a provider this worker has no credentials for: a setup problem. */
export class ProviderNotConfiguredError extends Error {
  constructor(provider: string) {
    super(`no SMS provider "${provider}" is configured in this worker (for twilio: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)`);
    this.name = 'ProviderNotConfiguredError';
  }
}

/** Another attempt is sending this intent right now; retry later and it will be settled. */
export class SendInProgressError extends Error {
  constructor(intentId: string) {
    super(`send ${intentId} is in progress in another attempt`);
    this.name = 'SendInProgressError';
  }
}

/** Providers' clocks and ours differ; look this far back for an earlier acceptance. */
const RECONCILE_SKEW_MS = 5 * 60_000;

/**
 * Sends each intent at most once, however often it is called: the intent is stored before the
 * provider is called, a stored provider id short-circuits, and an attempt that may have reached
 * the provider is looked up there before sending again.
 */
export class SmsSender {
  constructor(private readonly deps: SmsSenderDeps) {}

  async send(request: SendRequest): Promise<SendOutcome> {
    const provider = this.deps.providers[request.provider];
    if (!provider) throw new ProviderNotConfiguredError(request.provider);
    const em = this.deps.em();
    const messages = em.getRepository(Message);
    // Stored before the provider is called; a new intent comes with its first attempt's lease.
    const { message, created, recipientOptedOut } = await messages.openSendIntent(
      {
        intentId: request.intentId,
        subAccountId: request.subAccountId,
        contactId: request.contactId,
        callId: request.callId,
        fromNumber: request.from,
        toNumber: request.to,
        body: request.body,
        provider: request.provider,
        segments: messageSegments(request.body).segments,
      },
      SEND_LEASE_SECONDS,
    );
    if (message.providerMessageId) return sent(message, message.providerMessageId, message.status, true);
    if (message.status === 'failed') return refused(message, message.errorCode, message.errorMessage ?? 'failed');
    if (recipientOptedOut) return this.refuse(em, message, null, 'recipient has opted out of texts');

    // Send what the intent stored, not what this attempt rendered: every attempt is the same text.
    const sms: OutboundSms = {
      intentId: request.intentId,
      from: message.fromNumber,
      to: message.toNumber,
      body: message.body,
      statusCallbackUrl: this.deps.statusCallbackUrl(request.intentId),
    };

    // One attempt at a time talks to the provider; a crashed holder's lease runs out.
    const attempt = created ? 1 : await messages.claimSendAttempt(message.id, SEND_LEASE_SECONDS);
    if (attempt === null) return this.settledOrBusy(em, message.id);
    try {
      if (attempt > 1) {
        // An earlier attempt may have reached the provider before dying: look before sending again.
        const found = await provider.findAccepted(sms, new Date(message.createdAt.getTime() - RECONCILE_SKEW_MS));
        if (found) {
          await messages.recordDeliveryStatus({ intentId: request.intentId }, { status: found.status, providerMessageId: found.providerMessageId });
          return sent(message, found.providerMessageId, found.status, true);
        }
      }
      const result = await provider.send(sms);
      if (result.kind === 'rejected') return await this.refuse(em, message, result.code, result.reason);
      await messages.recordDeliveryStatus({ intentId: request.intentId }, { status: result.status, providerMessageId: result.providerMessageId });
      return sent(message, result.providerMessageId, result.status, false);
    } catch (error) {
      // Let the next retry in at once rather than after the lease runs out.
      await messages.releaseSendLease(message.id);
      throw error;
    }
  }

  /** Someone else settled or is sending this intent right now. */
  private async settledOrBusy(em: EntityManager, messageId: string): Promise<SendOutcome> {
    const current = await em.fork().findOneOrFail(Message, messageId);
    if (current.providerMessageId) return sent(current, current.providerMessageId, current.status, true);
    if (current.status === 'failed') return refused(current, current.errorCode, current.errorMessage ?? 'failed');
    throw new SendInProgressError(current.intentId ?? messageId);
  }

  private async refuse(em: EntityManager, message: Message, code: number | null, reason: string): Promise<SendOutcome> {
    await em.nativeUpdate(Message, { id: message.id }, { status: 'failed', errorCode: code, errorMessage: reason, sendLeaseUntil: null, updatedAt: new Date() });
    return refused(message, code, reason);
  }
}

function sent(message: Message, providerMessageId: string, status: MessageStatus, alreadySent: boolean): SendOutcome {
  return { kind: 'sent', messageId: message.id, providerMessageId, status, alreadySent };
}

function refused(message: Message, code: number | null, reason: string): SendOutcome {
  return { kind: 'refused', messageId: message.id, code, reason };
}
