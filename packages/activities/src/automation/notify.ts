import { AutomationStore, NotificationStore, type NotificationView } from '@mctb/db';
import type { Recipient } from '@mctb/snapshots';
import { ProviderNotConfiguredError } from '@mctb/sms';
import { renderTemplate, TemplateRenderError } from '@mctb/templates';
import type { ActivityDeps } from '../deps.js';
import { MailRefusedError } from '../mailer.js';
import { mergeContextOf } from './prepare-sms.js';
import type { PinnedRun } from './pinned-run.js';
import { resolveRecipient } from './recipients.js';

export interface NotifyInput {
  pinned: PinnedRun;
  stepId: string;
  channel: 'sms' | 'email';
  to: Recipient;
  /** Key into the pinned templates. */
  template: string;
  /** The workflow's clock (epoch ms). */
  asOf: number;
}

/** How a notification ended. A failure is final (an address, a template, a refusal): the step records it. */
export type NotifyOutcome = { kind: 'sent'; detail: string } | { kind: 'failed'; reason: string };

/**
 * `notify` by SMS or e-mail, once however often it is retried. The notifications row is stored
 * before anything is sent; a retry that finds it sent does nothing. SMS go through the send intent
 * of SmsSender (exactly once at the provider). Transient failures (the SMTP server unreachable,
 * a provider outage) throw, and Temporal retries.
 */
export async function sendNotification(deps: ActivityDeps, input: NotifyInput): Promise<NotifyOutcome> {
  const { pinned, channel } = input;
  const notifications = new NotificationStore(deps.orm);
  const recipient = await resolveRecipient(notifications, pinned, input.to, channel);
  if (!recipient.ok) return { kind: 'failed', reason: recipient.reason };
  const rendered = await renderPinned(deps, pinned, input.template, input.asOf);
  if (!rendered.ok) return { kind: 'failed', reason: rendered.reason };

  const notification = await notifications.open({
    subAccountId: pinned.subAccountId,
    runId: pinned.runId,
    stepId: input.stepId,
    channel,
    recipient: recipient.address,
    subject: channel === 'email' ? subjectOf(pinned.businessName, rendered.text) : null,
    body: rendered.text,
  });
  const earlier = settledOutcome(notification);
  if (earlier) return earlier;
  const outcome = channel === 'email' ? await sendMail(deps, pinned, notification) : await sendSms(deps, pinned, notification);
  await notifications.settle(notification.id, {
    status: outcome.kind === 'sent' ? 'sent' : 'failed',
    detail: outcome.kind === 'sent' ? outcome.detail : outcome.reason,
    at: new Date(),
  });
  return outcome;
}

async function sendMail(deps: ActivityDeps, pinned: PinnedRun, notification: NotificationView): Promise<NotifyOutcome> {
  if (!deps.mailer) return { kind: 'failed', reason: 'no SMTP server is configured for this worker (set SMTP_URL)' };
  try {
    const receipt = await deps.mailer.send({
      fromName: pinned.businessName,
      to: notification.recipient,
      subject: notification.subject ?? pinned.businessName,
      text: notification.body,
      // The same id on every attempt: if a worker dies after the server accepted the message but
      // before the row says "sent", the retry sends it again, and mail clients show one message
      // (they collapse messages with the same Message-ID).
      messageId: messageIdOf(pinned.runId, notification.stepId),
    });
    return { kind: 'sent', detail: `e-mailed ${notification.recipient}: ${receipt.response}` };
  } catch (error) {
    if (error instanceof MailRefusedError && error.permanent) return { kind: 'failed', reason: `the mail server refused it: ${error.message}` };
    throw error;
  }
}

async function sendSms(deps: ActivityDeps, pinned: PinnedRun, notification: NotificationView): Promise<NotifyOutcome> {
  try {
    const outcome = await deps.sender.send({
      intentId: `${pinned.runId}/${notification.stepId}`,
      subAccountId: pinned.subAccountId,
      // A note to the team, not a message in the contact's conversation.
      contactId: null,
      callId: null,
      from: pinned.from,
      to: notification.recipient,
      body: notification.body,
      provider: pinned.provider,
    });
    if (outcome.kind === 'refused') return { kind: 'failed', reason: `refused: ${outcome.reason}` };
    return { kind: 'sent', detail: `texted ${notification.recipient}: ${outcome.messageId}` };
  } catch (error) {
    if (error instanceof ProviderNotConfiguredError) return { kind: 'failed', reason: error.message };
    throw error;
  }
}

/** A notification an earlier attempt finished: its outcome again. */
export function settledOutcome(notification: NotificationView): NotifyOutcome | null {
  if (notification.status === 'sent') return { kind: 'sent', detail: notification.detail ?? 'sent' };
  if (notification.status === 'failed') return { kind: 'failed', reason: notification.detail ?? 'failed' };
  return null;
}

/** `<runId/stepId@mctb>`, with any character a Message-ID can't hold percent-encoded. */
export function messageIdOf(runId: string, stepId: string): string {
  const local = `${runId}/${stepId}`.replace(/[^A-Za-z0-9!#$&'*+\-/=?^_`{|}~.]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `<${local}@mctb>`;
}

/** "Greenfield Plumbing: <the message's first line>", short enough for a subject line. */
function subjectOf(businessName: string, text: string): string {
  const firstLine = text.split('\n', 1)[0]!.trim();
  const subject = firstLine === '' ? businessName : `${businessName}: ${firstLine}`;
  return subject.length > 120 ? `${subject.slice(0, 119)}…` : subject;
}

/** A pinned template rendered with the run's merge fields (the contact as it is now). */
export async function renderPinned(deps: ActivityDeps, pinned: PinnedRun, template: string, asOf: number): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  const source = pinned.templates[template];
  if (source === undefined) return { ok: false, reason: `template "${template}" is missing` };
  const contact = (await new AutomationStore(deps.orm).contactFacts(pinned.contact.id)) ?? { firstName: '', lastName: '', phone: pinned.contact.phone };
  try {
    return { ok: true, text: await renderTemplate(source, mergeContextOf(pinned, contact, asOf)) };
  } catch (error) {
    if (error instanceof TemplateRenderError) return { ok: false, reason: `template: ${error.message}` };
    throw error;
  }
}
