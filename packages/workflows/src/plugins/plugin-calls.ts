import { ActivityFailure, ApplicationFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { PinnedPlugin, PinnedRun, TextBackActivities } from '@mctb/activities';

/**
 * One call to a plugin: its declared budget plus room for our own reads and writes, and its
 * declared retries with backoff (each attempt carries the same delivery id). The activity applies
 * the plugin's failure policy on the last attempt itself; `failedAfterRetries` covers an activity
 * the worker could not finish at all (a crash, our own timeout).
 */
export function pluginActivities(timeoutMs: number, retries: number) {
  return proxyActivities<TextBackActivities>({
    startToCloseTimeout: timeoutMs + 15_000,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: retries + 1 },
  });
}

/**
 * The hooks a text waits for (call.completed, textback.beforeSend) run as local activities: in the
 * worker, inside the workflow task, without a round trip through the server for each (which cost
 * a missed call ~90 ms per plugin as regular activities). Same budget and retries; retries longer
 * than 10 s apart wait on a server timer.
 */
function decisionHookActivities(timeoutMs: number, retries: number) {
  return proxyLocalActivities<TextBackActivities>({
    startToCloseTimeout: timeoutMs + 15_000,
    localRetryThreshold: '10 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: retries + 1 },
  });
}

type HookName = keyof PinnedPlugin['hooks'];

export function pluginsWith(pinned: PinnedRun, hook: HookName): PinnedPlugin[] {
  return (pinned.plugins ?? []).filter((plugin) => plugin.hooks[hook] !== undefined);
}

export function failureOf(error: unknown): string {
  if (!(error instanceof ActivityFailure)) throw error;
  const cause = error.cause;
  return cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : 'the activity failed';
}

/**
 * Asks every plugin with a `textback.beforeSend` hook, all at once; the first veto in install order
 * wins. A plugin whose call could not complete counts as no opinion, or as a veto if it fails closed.
 */
export async function beforeSendVerdict(
  pinned: PinnedRun,
  text: { intentId: string; callSid: string; body: string },
): Promise<{ veto: false } | { veto: true; reason: string }> {
  const verdicts = await Promise.all(
    pluginsWith(pinned, 'textback.beforeSend').map(async (plugin) => {
      const policy = plugin.hooks['textback.beforeSend']!;
      try {
        return await decisionHookActivities(policy.timeoutMs, policy.retries).callBeforeSendHook({
          plugin,
          subAccountId: pinned.subAccountId,
          callSid: text.callSid,
          contactId: pinned.contact.id,
          body: text.body,
          deliveryId: `${text.intentId}/textback.beforeSend/${plugin.pluginId}`,
          maxAttempts: policy.retries + 1,
        });
      } catch (error) {
        const why = failureOf(error);
        return policy.failurePolicy === 'closed' ? { veto: true as const, reason: `plugin ${plugin.pluginId} failed closed: ${why}` } : { veto: false as const };
      }
    }),
  );
  return verdicts.find((verdict) => verdict.veto) ?? { veto: false };
}

/**
 * Shows every plugin with a `call.completed` hook the call that started the run, in install
 * order; one may reclassify it. Returns the call's outcome after them and who changed it.
 */
export async function callCompletedOutcome(pinned: PinnedRun, callSid: string): Promise<{ outcome: string; pluginId: string } | null> {
  let changed: { outcome: string; pluginId: string } | null = null;
  for (const plugin of pluginsWith(pinned, 'call.completed')) {
    const policy = plugin.hooks['call.completed']!;
    try {
      const result = await decisionHookActivities(policy.timeoutMs, policy.retries).callCallCompletedHook({
        plugin,
        subAccountId: pinned.subAccountId,
        callSid,
        deliveryId: `${pinned.runId}/call.completed/${plugin.pluginId}`,
        maxAttempts: policy.retries + 1,
      });
      if (result.outcome !== null) changed = { outcome: result.outcome, pluginId: result.pluginId };
    } catch (error) {
      failureOf(error); // a plugin that can't answer changes nothing
    }
  }
  return changed;
}
