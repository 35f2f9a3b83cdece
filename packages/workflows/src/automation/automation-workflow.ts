import { patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { OpenTriggeredRunInput, PinnedRun } from '@mctb/activities';
import { local } from '../activity-proxies.js';
import { textBackStateQuery, type TextBackState } from '../textback-signals.js';
import { beginAutomation, report, reportEnd } from './automation-run.js';
import { runSteps } from './interpreter.js';

export type AutomationInput =
  /** Started by `start_workflow`: the starting run's pinned input, re-keyed for this workflow. */
  | { pinned: PinnedRun }
  /** Started by an event (a text received, a tag added): opened here against what is provisioned now. */
  | { open: Omit<OpenTriggeredRunInput, 'workflowId' | 'asOf'> };

/** Runs of received texts begun before plugins heard of them announce nothing on replay. */
const MESSAGE_RECEIVED_EVENT_PATCH = 'message-received-plugin-event';

/**
 * A run of a snapshot workflow that no missed call started: one that another run started
 * (`start_workflow`, e.g. a nurture sequence), or one an event triggers (`message.received`,
 * `contact.tagged`). Its workflow id names the run.
 */
export async function automationWorkflow(input: AutomationInput): Promise<TextBackState> {
  const state: TextBackState = {
    phase: 'starting',
    triggerCallSid: null,
    callSids: [],
    cancelledBecause: null,
    sentMessageId: null,
    dedupUntil: null,
    currentStep: null,
  };
  setHandler(textBackStateQuery, () => state);
  const { workflowId } = workflowInfo();
  let pinned: PinnedRun;
  if ('pinned' in input) {
    pinned = input.pinned;
    await local.recordChildRun({ pinned, temporalWorkflowId: workflowId });
  } else {
    const { trigger } = input.open;
    // Plugins hear of every text received (their own workflow), whether or not an automation runs on it.
    if (trigger.type === 'message.received' && patched(MESSAGE_RECEIVED_EVENT_PATCH)) {
      await local.announcePluginEvent({
        subAccountId: input.open.subAccountId,
        eventKey: trigger.messageSid,
        subject: { hook: 'message.received', contactPhone: input.open.contactPhone, messageSid: trigger.messageSid, body: null, receivedAt: Date.now() },
      });
    }
    const opened = await local.openTriggeredRun({ ...input.open, workflowId, asOf: Date.now() });
    if (opened.kind === 'none') {
      state.phase = 'done';
      state.cancelledBecause = opened.reason;
      return state;
    }
    pinned = opened.pinned;
  }
  state.triggerCallSid = pinned.trigger.callSid;
  const run = beginAutomation(pinned, state, null);
  const workflow = pinned.workflows[pinned.workflowKey];
  if (workflow) await runSteps(run, workflow.steps, true);
  state.phase = 'done';
  state.currentStep = null;
  if (!workflow) await report(run, 'failed', `workflow "${pinned.workflowKey}" is not in snapshot ${pinned.snapshot.slug} v${pinned.snapshot.version}`);
  else await reportEnd(run);
  return state;
}
