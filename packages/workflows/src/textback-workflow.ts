import { ActivityFailure, ApplicationFailure, condition, patched } from '@temporalio/workflow';
import { formatWindow, sendIntentId } from '@mctb/domain/textback';
import type { PreparedTextBack } from '@mctb/activities';
import { hooks, local, send } from './activity-proxies.js';
import { beginRun, drain, finish, type TextBackRun } from './textback-run.js';
import type { MissedCall, TextBackInput, TextBackState } from './textback-signals.js';
import { textBackV1 } from './textback-workflow-v1.js';
import { interpretMissedCall } from './automation/missed-call-run.js';

/**
 * One caller's text-back in one sub-account (DESIGN §4). Started by the first missed call with
 * signalWithStart: waits the delay (collapsing further calls, cancelled by an answer or a text
 * from the caller), sends one text, then stays open for the dedup window so repeat calls get none.
 * With no delay an episode costs two workflow tasks and one activity (the send), like the least
 * any workflow with one activity costs.
 */
export async function textBackWorkflow(input: TextBackInput): Promise<TextBackState> {
  const run = beginRun(input);
  await condition(() => run.queue.length > 0);
  // Runs that started before these steps keep the steps they started with.
  // Runs from here on are automations of the snapshot, walked by the interpreter; runs that began
  // on the fixed steps below (or in v1) finish on them. Checked first, so a new run records one patch.
  if (patched('automation-interpreter')) return interpretMissedCall(run);
  if (!patched('text-back-v2')) return textBackV1(run);

  const { state, queue } = run;
  const trigger = queue[0]!;
  state.triggerCallSid = trigger.callSid;
  const opened = await local.openTextBack({
    subAccountId: input.subAccountId,
    callerPhone: input.callerPhone,
    triggerCallSid: trigger.callSid,
    arrivals: [...queue],
    asOf: Date.now(),
  });
  // openTextBack stored what intake could not; what arrives later is stored when settled.
  for (const call of queue) delete call.unstored;

  const { plan } = opened;
  if (!plan.enabled) {
    await settle(run, drain(queue), 'skipped', plan.reason);
    return finish(run);
  }
  state.phase = 'delaying';
  if (plan.delaySeconds > 0) await condition(() => state.cancelledBecause !== null, plan.delaySeconds * 1000);
  state.phase = 'sending';
  const calls = drain(queue);
  if (state.cancelledBecause !== null) {
    await settle(run, calls, 'skipped', state.cancelledBecause);
    return finish(run);
  }
  const collapsed = calls.filter((call) => call.callSid !== trigger.callSid);
  if (collapsed.length > 0) await settle(run, collapsed, 'skipped', `collapsed: one text answers the calls during the delay (call ${trigger.callSid})`);

  const prepared =
    opened.prepared ??
    (await local.prepareTextBack({
      subAccountId: input.subAccountId,
      callerPhone: input.callerPhone,
      triggerCallSid: trigger.callSid,
      dedupWindowSeconds: plan.dedupWindowSeconds,
      asOf: Date.now(),
    }));
  const sentAt = await deliver(run, trigger, prepared);
  if (sentAt !== null && plan.dedupWindowSeconds > 0) {
    state.phase = 'dedup_window';
    state.dedupUntil = sentAt + plan.dedupWindowSeconds * 1000;
    while (Date.now() < state.dedupUntil) {
      const arrived = await condition(() => queue.length > 0, state.dedupUntil - Date.now());
      if (!arrived) break;
      await settle(run, drain(queue), 'skipped', `dedup: already texted within the ${formatWindow(plan.dedupWindowSeconds)} window`);
    }
  }
  return finish(run);
}

/** Asks the plugins (when one has a hook), sends, and records; returns when the text went out (workflow time) or null. */
async function deliver(run: TextBackRun, trigger: MissedCall, prepared: PreparedTextBack): Promise<number | null> {
  const { input, state } = run;
  if (prepared.kind !== 'ready') {
    await settle(run, [trigger], prepared.kind === 'skip' ? 'skipped' : 'failed', prepared.reason);
    return null;
  }
  if (prepared.hooks) {
    const verdict = await hooks.runBeforeSendHooks({
      subAccountId: input.subAccountId,
      triggerCallSid: trigger.callSid,
      contactId: prepared.contactId,
      body: prepared.body,
    });
    if (verdict.veto) {
      await settle(run, [trigger], 'skipped', verdict.reason);
      return null;
    }
  }
  try {
    // The send records the call's status itself ("sent", or "failed" with a refusal).
    const outcome = await send.sendTextBack({
      intentId: sendIntentId(input.subAccountId, trigger.callSid, 'textback'),
      subAccountId: input.subAccountId,
      contactId: prepared.contactId,
      callId: prepared.callId,
      from: prepared.from,
      to: input.callerPhone,
      body: prepared.body,
      provider: prepared.provider,
      recordFor: trigger.callSid,
    });
    if (outcome.kind === 'refused') return null;
    state.sentMessageId = outcome.messageId;
    return Date.now();
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure || error.cause instanceof Error ? error.cause.message : 'unknown';
    await settle(run, [trigger], 'failed', `send failed after retries: ${cause}`);
    return null;
  }
}

/** Records where the text-back stands for these calls (storing first any that intake could not). */
function settle(run: TextBackRun, calls: MissedCall[], status: 'skipped' | 'failed', reason: string | null): Promise<void> {
  if (calls.length === 0) return Promise.resolve();
  return local.settleCalls({ subAccountId: run.input.subAccountId, calls, status, reason });
}
