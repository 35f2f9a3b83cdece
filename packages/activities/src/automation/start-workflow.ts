import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { ActivityDeps } from '../deps.js';
import type { PinnedRun } from './pinned-run.js';

/**
 * `start_workflow`: another workflow of the same pinned snapshot, for the same contact, as a run of
 * its own that outlives this one (a nurture sequence). Its ids derive from this run and step, and a
 * workflow id names one run for good: a retry or a replay starts it once.
 */
export async function startAutomation(deps: ActivityDeps, input: { pinned: PinnedRun; stepId: string; workflowKey: string; asOf: number }): Promise<{ workflowId: string }> {
  const { pinned } = input;
  const runId = `${pinned.runId}>${input.stepId}`;
  const workflowId = `automation/${runId}`;
  const started: PinnedRun = {
    ...pinned,
    runId,
    workflowKey: input.workflowKey,
    trigger: { ...pinned.trigger, type: 'start_workflow', parentRunId: pinned.runId },
    startedAt: input.asOf,
  };
  try {
    await deps.temporal.workflow.start('automationWorkflow', {
      taskQueue: Context.current().info.taskQueue,
      workflowId,
      args: [{ pinned: started }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return { workflowId };
}
