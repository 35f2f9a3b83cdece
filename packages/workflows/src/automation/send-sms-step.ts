import { inWindow, windowEnd } from '@mctb/business-hours';
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { SendSmsStep } from '@mctb/snapshots';
import { hooks, local, send } from '../activity-proxies.js';
import { beforeSendVerdict, pluginsWith } from '../plugins/plugin-calls.js';
import { awaitPluginVerdict, journal, pause, report, settleTrigger, type AutomationRun } from './automation-run.js';

/**
 * `send_sms`: waits out quiet hours unless the step says otherwise, re-checks the contact and the
 * daily cap, renders the pinned template, lets plugins veto, and sends once: the send's id is the
 * run's and the step's. The run's first text for a missed call records the call's status.
 */
export async function runSendSms(run: AutomationRun, step: SendSmsStep, last: boolean): Promise<void> {
  const { pinned } = run;
  let prefetched = run.prefetchedText?.stepId === step.id ? run.prefetchedText.prepared : null;
  run.prefetchedText = null;
  // The first text about a call handed to a plugin (Voice AI's agent) waits for the plugin's verdict.
  if (run.handOff !== null && run.firstSentAt === null) {
    const waited = await awaitPluginVerdict(run, step);
    if (run.stopReason !== null) return;
    if (waited) prefetched = null; // written for an earlier moment
  }
  const quiet = pinned.quietHours;
  if (step.duringQuietHours === 'wait' && quiet !== null && inWindow(quiet, pinned.zone, new Date(Date.now()))) {
    journal(run, step, 'waiting', 'quiet hours');
    await report(run, 'running');
    await pause(run, windowEnd(quiet, pinned.zone, new Date(Date.now())).getTime());
    if (run.stopReason !== null) return;
    prefetched = null; // written for an earlier moment
  }
  const firstText = run.firstSentAt === null && run.triggerCall !== null;
  const intentId = `${pinned.runId}/${step.id}`;
  const prepared = prefetched ?? (await local.prepareAutomatedSms({ pinned, template: step.template, intentId, firstText, asOf: Date.now() }));
  if (prepared.kind !== 'ready') {
    if (prepared.kind === 'skip' && prepared.stopsRun) run.stopReason ??= prepared.reason;
    return notSent(run, step, prepared.kind === 'skip' ? 'skipped' : 'failed', prepared.reason, firstText);
  }
  // Plugins judge texts about a call (their hook's event is the call); other runs have none.
  if (pinned.beforeSendHooks && pinned.trigger.callSid !== null) {
    // Runs that pinned their plugins ask each one with its own budget; older runs ask as they did.
    const verdict = pinned.plugins
      ? await beforeSendVerdict(pinned, { intentId, callSid: pinned.trigger.callSid, body: prepared.body })
      : await hooks.runBeforeSendHooks({
          subAccountId: pinned.subAccountId,
          triggerCallSid: pinned.trigger.callSid,
          contactId: pinned.contact.id,
          body: prepared.body,
        });
    if (verdict.veto) return notSent(run, step, 'skipped', verdict.reason, firstText);
  }
  try {
    const recordFor = firstText && !run.triggerSettled ? (pinned.trigger.callSid ?? undefined) : undefined;
    // The send records the call's status itself ("sent", or "failed" with a refusal).
    if (recordFor !== undefined) run.triggerSettled = true;
    // The run's last step: the send records the run completed with the steps noted so far.
    const completesRun = last ? { runId: pinned.runId, stepId: step.id, steps: [...run.journal], at: Date.now() } : undefined;
    const outcome = await send.sendTextBack({
      intentId,
      subAccountId: pinned.subAccountId,
      contactId: pinned.contact.id,
      callId: pinned.trigger.callId,
      from: pinned.from,
      to: pinned.contact.phone,
      body: prepared.body,
      provider: pinned.provider,
      ...(recordFor !== undefined ? { recordFor } : {}),
      ...(completesRun !== undefined ? { completesRun } : {}),
    });
    if (completesRun !== undefined) {
      run.journal.splice(0, completesRun.steps.length);
      run.completedBySend = true;
    }
    if (outcome.kind === 'refused') {
      if (completesRun === undefined) journal(run, step, 'failed', `refused: ${outcome.reason}`);
      return;
    }
    run.firstSentAt ??= Date.now();
    run.lastSentAt = Date.now();
    run.state.sentMessageId ??= outcome.messageId;
    if (completesRun === undefined) journal(run, step, 'done', `sent ${outcome.messageId}`);
    // Plugins hear of the text in a workflow of their own: a slow one never holds this run.
    if (pinned.trigger.callSid !== null && pluginsWith(pinned, 'textback.sent').length > 0) {
      await local.announcePluginEvent({
        subAccountId: pinned.subAccountId,
        eventKey: intentId,
        subject: { hook: 'textback.sent', callSid: pinned.trigger.callSid, contactId: pinned.contact.id, body: prepared.body, messageId: outcome.messageId },
      });
    }
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure || error.cause instanceof Error ? error.cause.message : 'unknown';
    run.triggerSettled = false;
    await notSent(run, step, 'failed', `send failed after retries: ${cause}`, firstText);
  }
}

async function notSent(run: AutomationRun, step: SendSmsStep, status: 'skipped' | 'failed', reason: string, firstText: boolean): Promise<void> {
  journal(run, step, status, reason);
  if (firstText) await settleTrigger(run, status, reason);
}
