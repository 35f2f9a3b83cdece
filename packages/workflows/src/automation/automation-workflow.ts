import { setHandler, workflowInfo } from '@temporalio/workflow';
import type { PinnedRun } from '@mctb/activities';
import { local } from '../activity-proxies.js';
import { textBackStateQuery, type TextBackState } from '../textback-signals.js';
import { beginAutomation, report } from './automation-run.js';
import { runSteps } from './interpreter.js';

export interface AutomationInput {
  /** The starting run's pinned input, re-keyed for this workflow: the same snapshot version and custom values. */
  pinned: PinnedRun;
}

/** A workflow of the snapshot that another run started (`start_workflow`), e.g. a nurture sequence. */
export async function automationWorkflow({ pinned }: AutomationInput): Promise<TextBackState> {
  const state: TextBackState = {
    phase: 'starting',
    triggerCallSid: pinned.trigger.callSid,
    callSids: [],
    cancelledBecause: null,
    sentMessageId: null,
    dedupUntil: null,
    currentStep: null,
  };
  setHandler(textBackStateQuery, () => state);
  const run = beginAutomation(pinned, state, null);
  await local.recordChildRun({ pinned, temporalWorkflowId: workflowInfo().workflowId });
  const workflow = pinned.workflows[pinned.workflowKey];
  if (workflow) await runSteps(run, workflow.steps);
  state.phase = 'done';
  state.currentStep = null;
  if (!workflow) await report(run, 'failed', `workflow "${pinned.workflowKey}" is not in snapshot ${pinned.snapshot.slug} v${pinned.snapshot.version}`);
  else await report(run, run.stopReason === null ? 'completed' : 'stopped', run.stopReason);
  return state;
}
