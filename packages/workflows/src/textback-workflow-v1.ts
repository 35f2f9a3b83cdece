/**
 * The text-back steps as runs started before the one-round-trip version execute them (five
 * activities). Frozen: a run replays the steps it started with. Remove once no run that started
 * without the "text-back-v2" patch is open (the longest a run stays open is its dedup window, 30 days).
 */
import { ActivityFailure, ApplicationFailure, condition, proxyActivities } from '@temporalio/workflow';
import { formatWindow, sendIntentId } from '@mctb/domain/textback';
import type { TextBackActivities } from '@mctb/activities';
import { drain as drainCalls, finish, type TextBackRun } from './textback-run.js';
import type { MissedCall, TextBackInput, TextBackState } from './textback-signals.js';

// Activities that touch only our own database and plugins retry until they succeed (no attempt
// cap): an outage must delay a text-back, never drop it. Business outcomes come back as values.
const quick = proxyActivities<TextBackActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
const hooks = proxyActivities<TextBackActivities>({
  // Each hook has its own budget and failure policy inside the activity; this bounds the whole round.
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
// The provider is not ours: transient failures (429, 5xx, timeouts) retry with backoff for up to
// six hours, then the text is recorded as failed. Refusals (bad number, opted out) come back at once.
// The start-to-close bound outlasts the provider client's 10 s timeout and stays under the send lease.
const send = proxyActivities<TextBackActivities>({
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function textBackV1(run: TextBackRun): Promise<TextBackState> {
  const { input, state, queue, unstored } = run;
  const storeArrivals = async () => {
    while (unstored.length > 0) {
      const call = unstored[0]!;
      await quick.storeUnstoredCall({ subAccountId: input.subAccountId, call: { ...call, unstored: call.unstored! } });
      unstored.shift();
    }
  };
  const trigger = queue[0]!;
  state.triggerCallSid = trigger.callSid;
  await storeArrivals();

  const plan = await quick.loadTextBackPlan({ subAccountId: input.subAccountId });
  if (!plan.enabled) {
    await storeArrivals();
    await quick.recordTextBackStatus({ callSids: drain(queue), status: 'skipped', reason: plan.reason });
    return finish(run);
  }

  state.phase = 'delaying';
  if (plan.delaySeconds > 0) await condition(() => state.cancelledBecause !== null, plan.delaySeconds * 1000);
  state.phase = 'sending';
  await storeArrivals();
  const calls = drain(queue);
  if (state.cancelledBecause !== null) {
    await quick.recordTextBackStatus({ callSids: calls, status: 'skipped', reason: state.cancelledBecause });
    return finish(run);
  }
  const collapsed = calls.filter((sid) => sid !== trigger.callSid);
  if (collapsed.length > 0) {
    await quick.recordTextBackStatus({
      callSids: collapsed,
      status: 'skipped',
      reason: `collapsed: one text answers the calls during the delay (call ${trigger.callSid})`,
    });
  }

  const sentAt = await deliver(input, trigger, state, plan.dedupWindowSeconds);
  if (sentAt !== null && plan.dedupWindowSeconds > 0) {
    state.phase = 'dedup_window';
    state.dedupUntil = sentAt + plan.dedupWindowSeconds * 1000;
    while (Date.now() < state.dedupUntil) {
      const arrived = await condition(() => queue.length > 0, state.dedupUntil - Date.now());
      if (!arrived) break;
      await storeArrivals();
      await quick.recordTextBackStatus({
        callSids: drain(queue),
        status: 'skipped',
        reason: `dedup: already texted within the ${formatWindow(plan.dedupWindowSeconds)} window`,
      });
    }
  }
  return finish(run);
}

/** Renders, asks the plugins, sends; returns when the text went out (workflow time) or null. */
async function deliver(input: TextBackInput, trigger: MissedCall, state: TextBackState, dedupWindowSeconds: number): Promise<number | null> {
  const record = (status: 'sent' | 'skipped' | 'failed', reason: string | null) =>
    quick.recordTextBackStatus({ callSids: [trigger.callSid], status, reason });

  const prepared = await quick.prepareTextBack({
    subAccountId: input.subAccountId,
    callerPhone: input.callerPhone,
    triggerCallSid: trigger.callSid,
    dedupWindowSeconds,
    asOf: Date.now(),
  });
  if (prepared.kind !== 'ready') {
    await record(prepared.kind === 'skip' ? 'skipped' : 'failed', prepared.reason);
    return null;
  }
  const verdict = await hooks.runBeforeSendHooks({
    subAccountId: input.subAccountId,
    triggerCallSid: trigger.callSid,
    contactId: prepared.contactId,
    body: prepared.body,
  });
  if (verdict.veto) {
    await record('skipped', verdict.reason);
    return null;
  }
  try {
    const outcome = await send.sendTextBack({
      intentId: sendIntentId(input.subAccountId, trigger.callSid, 'textback'),
      subAccountId: input.subAccountId,
      contactId: prepared.contactId,
      callId: prepared.callId,
      from: prepared.from,
      to: input.callerPhone,
      body: prepared.body,
      provider: prepared.provider,
    });
    if (outcome.kind === 'refused') {
      await record('failed', `refused: ${outcome.reason}`);
      return null;
    }
    state.sentMessageId = outcome.messageId;
    await record('sent', null);
    return Date.now();
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure || error.cause instanceof Error ? error.cause.message : 'unknown';
    await record('failed', `send failed after retries: ${cause}`);
    return null;
  }
}

function drain(queue: MissedCall[]): string[] {
  return drainCalls(queue).map((call) => call.callSid);
}

