import type { CreateTaskStep, StartWorkflowStep, TagStep, WorkflowStep } from '@mctb/snapshots';
import { patched } from '@temporalio/workflow';
import { local } from '../activity-proxies.js';
import { journal, type AutomationRun } from './automation-run.js';
import { runNotify, runWebhook } from './notify-steps.js';

type EffectStep = Exclude<WorkflowStep, { kind: 'wait' | 'wait_until' | 'if' | 'wait_for_reply' | 'send_sms' }>;

/** Steps that change something outside the run: tags, tasks, notifications, webhooks, other workflows. */
export async function runEffectStep(run: AutomationRun, step: EffectStep): Promise<void> {
  switch (step.kind) {
    case 'add_tag':
    case 'remove_tag':
      return tagStep(run, step);
    case 'create_task':
      return createTaskStep(run, step);
    case 'start_workflow':
      return startWorkflowStep(run, step);
    case 'notify':
      // Runs that passed a notify step before this release recorded it as unavailable; their replay must too.
      if (!patched(NOTIFY_AND_WEBHOOK_PATCH)) return unavailable(run, step);
      return runNotify(run, step);
    case 'webhook':
      if (!patched(NOTIFY_AND_WEBHOOK_PATCH)) return unavailable(run, step);
      return runWebhook(run, step);
    case 'plugin':
      return unavailable(run, step);
  }
}

const NOTIFY_AND_WEBHOOK_PATCH = 'notify-and-webhook-steps';

/** Plugin steps can't run yet; neither could notify and webhook steps in runs begun before this release. */
function unavailable(run: AutomationRun, step: EffectStep): void {
  journal(run, step, 'failed', `${step.kind} steps are not available in this release`);
}

async function tagStep(run: AutomationRun, step: TagStep): Promise<void> {
  const change = step.kind === 'add_tag' ? { add: [step.tag], remove: [] } : { add: [], remove: [step.tag] };
  const { pinned } = run;
  const by = { subAccountId: pinned.subAccountId, contactPhone: pinned.contact.phone, eventKey: `${pinned.runId}>${step.id}` };
  await local.changeContactTags({ contactId: pinned.contact.id, ...change, by });
  journal(run, step, 'done', step.tag);
}

async function createTaskStep(run: AutomationRun, step: CreateTaskStep): Promise<void> {
  const task = await local.createCallbackTask({
    pinned: run.pinned,
    stepId: step.id,
    title: step.title,
    dueSeconds: step.dueSeconds,
    assignee: step.assignee,
    asOf: Date.now(),
  });
  if (task.kind === 'created') journal(run, step, 'done', `task ${task.taskId}: ${task.title}`);
  else journal(run, step, 'failed', task.reason);
}

/** Starts another workflow of the same pinned snapshot for this contact, as a run of its own (a nurture sequence). */
async function startWorkflowStep(run: AutomationRun, step: StartWorkflowStep): Promise<void> {
  const started = await local.startAutomation({ pinned: run.pinned, stepId: step.id, workflowKey: step.workflow, asOf: Date.now() });
  journal(run, step, 'done', `started ${started.workflowId}`);
}
