import type { EntityManager } from '@mctb/db';
import { Contact, Message, PhoneNumber } from '@mctb/db';
import { NUL_MESSAGE, parsePhone, textBackWorkflowId } from '@mctb/domain';
import { MAX_RENDERED_LENGTH, messageSegments, type MessageSegments } from '@mctb/templates';
import { findContact } from './contacts.js';
import { renderMessage, subAccountToActOn, type MessageTemplateInput } from './message-preview.js';
import { invalid, notFound, ok, type FieldIssue, type Result } from './result.js';
import type { Scope } from './scope.js';

/** A test message to any number, or a team member's reply in a contact's conversation. */
export type ManualMessageKind = 'test' | 'reply';

/** One run per sub-account, kind and client idempotency key: the same request posted twice finds the first. */
export function manualMessageWorkflowId(subAccountId: string, kind: ManualMessageKind, idempotencyKey: string): string {
  return `manual-message/${subAccountId}/${kind}/${idempotencyKey}`;
}

/** The send's deterministic intent id (DESIGN §4), one per manual message run. */
export function manualMessageIntentId(workflowId: string): string {
  return `${workflowId}/send`;
}

/** What the starter runs (manualMessageWorkflow in @mctb/workflows). */
export interface ManualMessageRequest {
  workflowId: string;
  intentId: string;
  subAccountId: string;
  contactId: string | null;
  from: string;
  to: string;
  body: string;
  provider: string;
  /** For a reply: the contact's text-back/automation workflow, told a team member replied before the text goes. */
  teamReplyTo: string | null;
}

/** `pending`: the send is still being retried (the provider is unreachable); its message shows how it ends. */
export type ManualMessageOutcome =
  | { kind: 'sent'; messageId: string; alreadySent: boolean }
  | { kind: 'refused'; messageId: string; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'pending' };

/** Runs manual messages on the Temporal cluster the workers use; absent when none is configured. */
export interface ManualMessageSender {
  send(request: ManualMessageRequest): Promise<ManualMessageOutcome>;
}

export interface ManualMessageSent {
  /** The stored outbound message; null only while a pending send has not stored it yet. */
  message: Message | null;
  outcome: ManualMessageOutcome;
  body: string;
  segments: MessageSegments;
  warnings: string[];
}

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

const NO_TEMPORAL = 'sending texts needs the Temporal cluster the workers use: start the control plane with TEMPORAL_ADDRESS';

export interface TestMessageInput extends MessageTemplateInput {
  /** E.164. */
  to: string;
  idempotencyKey: string;
}

/**
 * Renders like renderMessage and sends the text to `to`, once per idempotency key. A `to` that is
 * one of the sub-account's contacts lands in their conversation and respects their opt-out.
 */
export async function sendTestMessage(em: EntityManager, scope: Scope, sender: ManualMessageSender | undefined, input: TestMessageInput): Promise<Result<ManualMessageSent>> {
  const issues: FieldIssue[] = [];
  const key = idempotencyKeyIssue(input.idempotencyKey);
  if (key) issues.push(key);
  const to = e164Of(input.to);
  if (!to.ok) issues.push({ path: 'to', message: to.message });
  const rendered = await renderMessage(em, scope, input);
  if (!rendered.ok) return rendered.kind === 'invalid' ? invalid([...issues, ...rendered.issues]) : rendered;
  if (issues.length > 0 || !to.ok) return invalid(issues);
  const { subAccount, body, segments, warnings, smsNumber } = rendered.value;
  if (smsNumber === null) return invalid([{ path: 'subAccountId', message: 'the sub-account has no SMS-capable number to send from' }]);
  const recipient = await em.findOne(Contact, { subAccount, phone: to.e164 });
  if (recipient?.optedOutAt) return invalid([{ path: 'to', message: `${to.e164} has opted out of texts (STOP); nothing is sent to them until they text START` }]);
  if (body === '') return invalid([{ path: input.templateKey ? 'templateKey' : 'template', message: 'the message is empty for this contact: nothing to send' }]);
  if (!sender) return invalid([{ path: '', message: NO_TEMPORAL }]);
  const workflowId = manualMessageWorkflowId(subAccount.id, 'test', input.idempotencyKey);
  return sent(em, sender, { workflowId, intentId: manualMessageIntentId(workflowId), subAccountId: subAccount.id, contactId: recipient?.id ?? null, from: smsNumber, to: to.e164, body, provider: subAccount.smsProvider, teamReplyTo: null }, { segments, warnings });
}

export interface ReplyInput {
  subAccountId: string;
  contactId: string;
  body: string;
  idempotencyKey: string;
}

/**
 * A team member's reply in a contact's conversation, once per idempotency key. The contact's
 * running text-back or automation is told first, so a pending text-back is cancelled and
 * follow-ups stop. A sub-account key may reply for its own sub-account.
 */
export async function sendReply(em: EntityManager, scope: Scope, sender: ManualMessageSender | undefined, input: ReplyInput): Promise<Result<ManualMessageSent>> {
  const found = await subAccountToActOn(em, scope, input.subAccountId);
  if (!found.ok) return found;
  const subAccount = found.value;
  const issues: FieldIssue[] = [];
  const key = idempotencyKeyIssue(input.idempotencyKey);
  if (key) issues.push(key);
  const body = input.body.trim();
  if (body === '') issues.push({ path: 'body', message: 'is empty' });
  else if (body.includes('\u0000')) issues.push({ path: 'body', message: NUL_MESSAGE });
  else if (body.length > MAX_RENDERED_LENGTH) issues.push({ path: 'body', message: `is ${body.length} characters long; the limit is ${MAX_RENDERED_LENGTH}` });
  if (issues.length > 0) return invalid(issues);
  const contact = await findContact(em, subAccount.id, input.contactId);
  if (!contact) return notFound(`contact ${input.contactId} not found`);
  if (contact.optedOutAt) return invalid([{ path: 'contactId', message: `${contact.phone} has opted out of texts (STOP); nothing is sent to them until they text START` }]);
  if (!sender) return invalid([{ path: '', message: NO_TEMPORAL }]);
  const number = await em.findOne(PhoneNumber, { subAccount, smsCapable: true }, { orderBy: { createdAt: 'asc', e164: 'asc' } });
  if (!number) return invalid([{ path: 'subAccountId', message: 'the sub-account has no SMS-capable number to send from' }]);
  const segments = messageSegments(body);
  const workflowId = manualMessageWorkflowId(subAccount.id, 'reply', input.idempotencyKey);
  return sent(
    em,
    sender,
    {
      workflowId,
      intentId: manualMessageIntentId(workflowId),
      subAccountId: subAccount.id,
      contactId: contact.id,
      from: number.e164,
      to: contact.phone,
      body,
      provider: subAccount.smsProvider,
      teamReplyTo: textBackWorkflowId(subAccount.id, contact.phone),
    },
    { segments, warnings: segments.warnings },
  );
}

async function sent(
  em: EntityManager,
  sender: ManualMessageSender,
  request: ManualMessageRequest,
  report: { segments: MessageSegments; warnings: string[] },
): Promise<Result<ManualMessageSent>> {
  // A key used before names the message it sent: the same request again returns it, another one is refused.
  const earlier = await em.findOne(Message, { intentId: request.intentId });
  if (earlier && (earlier.toNumber !== request.to || (request.teamReplyTo !== null && earlier.body !== request.body))) {
    return invalid([{ path: 'idempotencyKey', message: 'was already used for a different message; use a new key for each message' }]);
  }
  const outcome = await sender.send(request);
  const message = await em.fork().findOne(Message, { intentId: request.intentId });
  return ok({ message, outcome, body: message?.body ?? request.body, ...report });
}

function idempotencyKeyIssue(key: string): FieldIssue | null {
  return IDEMPOTENCY_KEY_PATTERN.test(key) ? null : { path: 'idempotencyKey', message: 'must be 1-128 letters, digits, ".", "_", ":" or "-" (a UUID is a good key)' };
}

function e164Of(input: string): { ok: true; e164: string } | { ok: false; message: string } {
  if (!/^\+\d{8,15}$/.test(input)) return { ok: false, message: 'must be an E.164 number, "+" then 8 to 15 digits, e.g. +15125550123' };
  const parsed = parsePhone(input);
  return parsed.ok ? { ok: true, e164: parsed.e164 } : { ok: false, message: parsed.reason };
}
