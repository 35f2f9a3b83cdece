import { formatWindow } from '@mctb/domain/textback';
import { condition, workflowInfo } from '@temporalio/workflow';
import { local } from '../activity-proxies.js';
import { drain, finish, type TextBackRun } from '../textback-run.js';
import type { TextBackState } from '../textback-signals.js';
import { absorbArrivals, beginAutomation, reportEnd, settleTrigger, type AutomationRun } from './automation-run.js';
import { runSteps } from './interpreter.js';
import { callCompletedOutcome, pluginsWith } from '../plugins/plugin-calls.js';

/**
 * A caller's missed call through the interpreter: opens the sub-account's `call.missed` automation
 * (pinning its snapshot version), walks its steps, records how the call was answered, then holds the
 * workflow's dedup window from the first text, so repeat calls inside it start nothing.
 */
export async function interpretMissedCall(calls: TextBackRun): Promise<TextBackState> {
  const { input, state, queue } = calls;
  const trigger = queue[0]!;
  state.triggerCallSid = trigger.callSid;
  const opened = await local.openMissedCallRun({
    subAccountId: input.subAccountId,
    callerPhone: input.callerPhone,
    workflowId: workflowInfo().workflowId,
    triggerCallSid: trigger.callSid,
    arrivals: [...queue],
    asOf: Date.now(),
  });
  // The open stored what intake could not; what arrives later is stored when settled.
  for (const call of queue) delete call.unstored;
  if (opened.kind === 'none') {
    await local.settleCalls({ subAccountId: input.subAccountId, calls: drain(queue), status: opened.status, reason: opened.reason });
    return finish(calls);
  }
  queue.shift();
  const run = beginAutomation(opened.pinned, state, { run: calls, trigger });
  run.prefetchedText = opened.firstText;
  if (pluginsWith(run.pinned, 'call.completed').length > 0) await reclassifyByPlugins(run, trigger.callSid);
  const workflow = opened.pinned.workflows[opened.pinned.workflowKey]!;
  await runSteps(run, workflow.steps, true);
  await absorbArrivals(run);
  await settleTrigger(run, 'skipped', run.stopReason ?? `no text: automation "${workflow.key}" ended without one`);
  state.currentStep = null;
  await reportEnd(run);

  const window = opened.dedupWindowSeconds;
  if (run.firstSentAt !== null && window > 0) {
    state.phase = 'dedup_window';
    state.dedupUntil = run.firstSentAt + window * 1000;
    while (Date.now() < state.dedupUntil) {
      const arrived = await condition(() => queue.length > 0, state.dedupUntil - Date.now());
      if (!arrived) break;
      await local.settleCalls({ subAccountId: input.subAccountId, calls: drain(queue), status: 'skipped', reason: `dedup: already texted within the ${formatWindow(window)} window` });
    }
  }
  return finish(calls);
}

/**
 * `call.completed`: installed plugins see the call first and may reclassify it (e.g. it was
 * answered after all); a call no longer missed gets no text, and the run says which plugin decided.
 */
async function reclassifyByPlugins(run: AutomationRun, callSid: string): Promise<void> {
  const changed = await callCompletedOutcome(run.pinned, callSid);
  if (changed === null) return;
  if (changed.outcome === 'answered' || changed.outcome === 'answered_by_ai') {
    const reason = `reclassified as ${changed.outcome} by plugin ${changed.pluginId}`;
    run.stopReason ??= reason;
    run.state.cancelledBecause ??= reason;
    return;
  }
  run.pinned = { ...run.pinned, trigger: { ...run.pinned.trigger, outcome: changed.outcome } };
}
