import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { TextBackActivities } from '@mctb/activities';

// Steps that only read and write our own database run as local activities: in the worker, inside
// the workflow task, without a round trip through the server. They retry until they succeed (no
// attempt cap): an outage must delay a text-back, never drop it. Business outcomes come back as values.
// Back-offs longer than 10 s wait on a server timer, so a worker isn't held by a long outage.
export const local = proxyLocalActivities<TextBackActivities>({
  startToCloseTimeout: '15 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
// Plugin hooks may call out of our infrastructure: a regular activity, only when a plugin has one.
// Each hook has its own budget and failure policy inside the activity; this bounds the whole round.
export const hooks = proxyActivities<TextBackActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
// The provider is not ours: transient failures (429, 5xx, timeouts) retry with backoff for up to
// six hours, then the text is recorded as failed. Refusals (bad number, opted out) come back at once.
// The start-to-close bound outlasts the provider client's 10 s timeout and stays under the send lease.
export const send = proxyActivities<TextBackActivities>({
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
/**
 * A webhook step's own policy: its `retries` are Temporal's (maximumAttempts = retries + 1) with
 * backoff, and an attempt may take the step's timeout plus time for the lookup and our own writes.
 * The last attempt records the failure itself and returns it (see deliverWebhook).
 */
export function webhookActivities(timeoutSeconds: number, retries: number) {
  return proxyActivities<TextBackActivities>({
    startToCloseTimeout: `${timeoutSeconds + 15} seconds`,
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: retries + 1 },
  });
}
