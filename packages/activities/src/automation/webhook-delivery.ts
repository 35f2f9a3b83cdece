import { AutomationStore, NotificationStore } from '@mctb/db';
import type { Recipient } from '@mctb/snapshots';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps.js';
import { renderPinned, settledOutcome, type NotifyOutcome } from './notify.js';
import type { PinnedRun } from './pinned-run.js';
import { resolveRecipient } from './recipients.js';
import { postWebhook, WebhookRefusedError, type WebhookResponse } from './webhook-http.js';
import { newSigningSecret, SIGNATURE_HEADER, signWebhook } from '@mctb/plugin-sdk';

export interface WebhookInput {
  pinned: PinnedRun;
  stepId: string;
  /** A `webhook` step, or a `notify` step on the webhook channel (its rendered template goes as `message`). */
  kind: 'webhook' | 'notify';
  url: Recipient;
  template: string | null;
  timeoutSeconds: number;
  /** The retry policy's maximumAttempts: the attempt that reaches it records the failure. */
  maxAttempts: number;
  asOf: number;
}

/**
 * One signed POST of the run's event, one attempt per activity attempt: Temporal's retries (with
 * backoff) are the step's `retries`. Every attempt is recorded on the notifications row (status
 * code, latency, outcome) and carries the same body and Idempotency-Key, so a receiver that got an
 * attempt whose answer we lost can tell the retry is the same event. A 2xx ends it. 5xx, 408, 429,
 * timeouts and network errors are retried; the last attempt, any other answer (4xx, a redirect) and
 * a refused address end the step as failed, and the run goes on.
 */
export async function deliverWebhook(deps: ActivityDeps, input: WebhookInput, attempt: number): Promise<NotifyOutcome> {
  const { pinned } = input;
  const notifications = new NotificationStore(deps.orm);
  const url = await resolveRecipient(notifications, pinned, input.url, 'webhook');
  if (!url.ok) return { kind: 'failed', reason: url.reason };
  let message: string | null = null;
  if (input.template !== null) {
    const rendered = await renderPinned(deps, pinned, input.template, input.asOf);
    if (!rendered.ok) return { kind: 'failed', reason: rendered.reason };
    message = rendered.text;
  }
  const notification = await notifications.open({
    subAccountId: pinned.subAccountId,
    runId: pinned.runId,
    stepId: input.stepId,
    channel: 'webhook',
    recipient: url.address,
    subject: null,
    body: await eventBody(deps, input, message),
  });
  const earlier = settledOutcome(notification);
  if (earlier) return earlier;

  const secret = await notifications.signingSecret(pinned.subAccountId, newSigningSecret());
  if (secret === null) return { kind: 'failed', reason: 'the sub-account no longer exists' };
  const idempotencyKey = `${pinned.runId}/${input.stepId}`;
  let response: WebhookResponse;
  try {
    response = await postWebhook(notification.recipient, notification.body, {
      headers: {
        [SIGNATURE_HEADER]: signWebhook(secret, notification.body, Math.floor(Date.now() / 1000)),
        'Idempotency-Key': idempotencyKey,
        'User-Agent': 'mctb-webhooks/1',
      },
      timeoutMs: input.timeoutSeconds * 1000,
      allowPrivateNetworks: deps.allowPrivateNetworks,
    });
  } catch (error) {
    const refused = error instanceof WebhookRefusedError;
    const reason = refused ? `refused: ${error.message}` : `attempt ${attempt}: ${(error as Error).message}`;
    return finishAttempt(notifications, notification.id, { reason, final: refused || attempt >= input.maxAttempts, attempt });
  }

  const { status, latencyMs } = response;
  const summary = `HTTP ${status} in ${latencyMs} ms`;
  if (status >= 200 && status < 300) {
    await notifications.settle(notification.id, { status: 'sent', detail: `delivered: ${summary}`, responseStatus: status, latencyMs, at: new Date() });
    return { kind: 'sent', detail: `delivered to ${notification.recipient}: ${summary}` };
  }
  const retryable = status >= 500 || status === 408 || status === 429;
  const excerpt = response.body.trim().slice(0, 200);
  return finishAttempt(notifications, notification.id, {
    reason: `attempt ${attempt}: ${summary}${excerpt ? `: ${excerpt}` : ''}`,
    final: !retryable || attempt >= input.maxAttempts,
    attempt,
    responseStatus: status,
    latencyMs,
  });
}

/** Records a failed attempt: the last one fails the step; an earlier one throws so Temporal retries it. */
async function finishAttempt(
  notifications: NotificationStore,
  id: string,
  failure: { reason: string; final: boolean; attempt: number; responseStatus?: number; latencyMs?: number },
): Promise<NotifyOutcome> {
  const { reason, final } = failure;
  await notifications.settle(id, {
    status: final ? 'failed' : 'pending',
    detail: reason,
    responseStatus: failure.responseStatus ?? null,
    latencyMs: failure.latencyMs ?? null,
    at: new Date(),
  });
  if (!final) throw ApplicationFailure.retryable(`webhook ${reason}`, 'WebhookAttemptFailed');
  return { kind: 'failed', reason: failure.attempt > 1 ? `${reason} (gave up after ${failure.attempt} attempts)` : reason };
}

/** The event as JSON: who, what, and the call behind it. Built once: retries send the stored copy. */
async function eventBody(deps: ActivityDeps, input: WebhookInput, message: string | null): Promise<string> {
  const { pinned } = input;
  const contact = await new AutomationStore(deps.orm).contactFacts(pinned.contact.id);
  return JSON.stringify({
    id: `${pinned.runId}/${input.stepId}`,
    type: input.kind === 'webhook' ? 'automation.webhook' : 'automation.notify',
    occurredAt: new Date(input.asOf).toISOString(),
    subAccount: { id: pinned.subAccountId, name: pinned.businessName },
    run: { id: pinned.runId, workflow: pinned.workflowKey, snapshot: pinned.snapshot, startedAt: new Date(pinned.startedAt).toISOString() },
    step: { id: input.stepId, kind: input.kind },
    contact: {
      id: pinned.contact.id,
      phone: pinned.contact.phone,
      firstName: contact?.firstName ?? '',
      lastName: contact?.lastName ?? '',
      isNew: pinned.contact.isNew,
    },
    trigger: { type: pinned.trigger.type, callSid: pinned.trigger.callSid, outcome: pinned.trigger.outcome, businessNumber: pinned.from },
    ...(message !== null ? { message } : {}),
  });
}
