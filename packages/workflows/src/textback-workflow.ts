import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { formatWindow, sendIntentId } from '@mctb/domain/textback';
import type { TextBackActivities } from '@mctb/activities';
import {
  callAnsweredSignal,
  callerTextedSignal,
  missedCallSignal,
  optedOutSignal,
  textBackStateQuery,
  type MissedCall,
  type TextBackInput,
  type TextBackState,
} from './textback-signals.js';

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

/**
 * One caller's text-back in one sub-account (DESIGN §4). Started by the first missed call with
 * signalWithStart: waits the delay (collapsing further calls, cancelled by an answer or a text
 * from the caller), sends one text, then stays open for the dedup window so repeat calls get none.
 */
export async function textBackWorkflow(input: TextBackInput): Promise<TextBackState> {
  const state: TextBackState = {
    phase: 'starting',
    triggerCallSid: null,
    callSids: [],
    cancelledBecause: null,
    sentMessageId: null,
    dedupUntil: null,
  };
  const queue: MissedCall[] = [];
  const unstored: MissedCall[] = [];
  const enqueue = (call: MissedCall) => {
    // Twilio repeats webhooks and the gateway signals each time; a call counts once.
    if (state.callSids.includes(call.callSid)) return;
    state.callSids.push(call.callSid);
    queue.push(call);
    if (call.unstored) unstored.push(call);
  };
  // Calls intake could not store (PostgreSQL was down) are stored before anything reads them.
  const storeArrivals = async () => {
    while (unstored.length > 0) {
      const call = unstored[0]!;
      await quick.storeUnstoredCall({ subAccountId: input.subAccountId, call: { ...call, unstored: call.unstored! } });
      unstored.shift();
    }
  };
  const cancel = (reason: string) => {
    if (state.phase === 'starting' || state.phase === 'delaying') state.cancelledBecause ??= reason;
  };
  for (const call of input.carriedCalls ?? []) enqueue(call);
  setHandler(missedCallSignal, enqueue);
  setHandler(callAnsweredSignal, () => cancel('answered: the caller got through on a later call'));
  setHandler(callerTextedSignal, () => cancel('the caller texted first'));
  setHandler(optedOutSignal, () => cancel('the caller opted out'));
  setHandler(textBackStateQuery, () => state);

  await condition(() => queue.length > 0);
  const trigger = queue[0]!;
  state.triggerCallSid = trigger.callSid;
  await storeArrivals();

  const plan = await quick.loadTextBackPlan({ subAccountId: input.subAccountId });
  if (!plan.enabled) {
    await storeArrivals();
    await quick.recordTextBackStatus({ callSids: drain(queue), status: 'skipped', reason: plan.reason });
    return finish(state, input, queue);
  }

  state.phase = 'delaying';
  if (plan.delaySeconds > 0) await condition(() => state.cancelledBecause !== null, plan.delaySeconds * 1000);
  state.phase = 'sending';
  await storeArrivals();
  const calls = drain(queue);
  if (state.cancelledBecause !== null) {
    await quick.recordTextBackStatus({ callSids: calls, status: 'skipped', reason: state.cancelledBecause });
    return finish(state, input, queue);
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
  return finish(state, input, queue);
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

/** Calls that arrived while this run was ending start the next run instead of being lost. */
async function finish(state: TextBackState, input: TextBackInput, queue: MissedCall[]): Promise<TextBackState> {
  state.phase = 'done';
  if (queue.length > 0) {
    await continueAsNew<typeof textBackWorkflow>({ ...input, carriedCalls: queue.splice(0) });
  }
  return state;
}

function drain(queue: MissedCall[]): string[] {
  return queue.splice(0).map((call) => call.callSid);
}

