import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { NotifyOutcome } from '@mctb/activities';
import type { NotifyStep, WebhookStep } from '@mctb/snapshots';
import { send, webhookActivities } from '../activity-proxies.js';
import { journal, type AutomationRun } from './automation-run.js';

/** A notify on the webhook channel has no settings of its own: the `webhook` step's defaults. */
const NOTIFY_WEBHOOK = { timeoutSeconds: 10, retries: 3 };

/**
 * `notify`: tells a person (the owner, or an address from a custom value or the step) by SMS, e-mail
 * or webhook, once: the notification's id is the run's and the step's. A failure is recorded on
 * the step and the run goes on.
 */
export async function runNotify(run: AutomationRun, step: NotifyStep): Promise<void> {
  const { pinned } = run;
  const asOf = Date.now();
  await settle(run, step, async () => {
    if (step.channel !== 'webhook') {
      return send.sendNotification({ pinned, stepId: step.id, channel: step.channel, to: step.to, template: step.template, asOf });
    }
    const { timeoutSeconds, retries } = NOTIFY_WEBHOOK;
    return webhookActivities(timeoutSeconds, retries).deliverWebhook({
      pinned, stepId: step.id, kind: 'notify', url: step.to, template: step.template, timeoutSeconds, maxAttempts: retries + 1, asOf,
    });
  });
}

/** `webhook`: a signed POST of the run's event, retried `retries` times with backoff. */
export async function runWebhook(run: AutomationRun, step: WebhookStep): Promise<void> {
  const { pinned } = run;
  await settle(run, step, () =>
    webhookActivities(step.timeoutSeconds, step.retries).deliverWebhook({
      pinned, stepId: step.id, kind: 'webhook', url: step.url, template: null, timeoutSeconds: step.timeoutSeconds, maxAttempts: step.retries + 1, asOf: Date.now(),
    }),
  );
}

/** Journals the outcome; an activity that failed for good (retries spent, a timeout) fails the step, not the run. */
async function settle(run: AutomationRun, step: NotifyStep | WebhookStep, deliver: () => Promise<NotifyOutcome>): Promise<void> {
  try {
    const outcome = await deliver();
    if (outcome.kind === 'sent') journal(run, step, 'done', outcome.detail);
    else journal(run, step, 'failed', outcome.reason);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure || error.cause instanceof Error ? error.cause.message : 'unknown';
    journal(run, step, 'failed', `${step.kind} failed after retries: ${cause}`);
  }
}
