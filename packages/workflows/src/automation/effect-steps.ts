import type { CreateTaskStep, PluginStep, StartWorkflowStep, TagStep, WorkflowStep } from '@mctb/snapshots';
import { patched } from '@temporalio/workflow';
import { local } from '../activity-proxies.js';
import { failureOf, pluginActivities } from '../plugins/plugin-calls.js';
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
      // Runs that passed a plugin step before this release recorded it as unavailable; their replay must too.
      if (!patched(PLUGIN_STEPS_PATCH)) return unavailable(run, step);
      return pluginStep(run, step);
  }
}

const NOTIFY_AND_WEBHOOK_PATCH = 'notify-and-webhook-steps';
const PLUGIN_STEPS_PATCH = 'plugin-steps';

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

/** A step a plugin offers, run by the plugin installed in the sub-account with the step's own timeout and retries. */
async function pluginStep(run: AutomationRun, step: PluginStep): Promise<void> {
  const installed = run.pinned.plugins?.find((plugin) => plugin.pluginId === step.plugin);
  const declared = installed?.steps[step.step];
  if (!installed || !declared) {
    journal(run, step, 'failed', `plugin ${step.plugin} ${installed ? `${installed.version} offers no step "${step.step}"` : 'is not installed in this sub-account'}`);
    return;
  }
  try {
    const outcome = await pluginActivities(declared.timeoutMs, declared.retries).runPluginStep({
      pinned: run.pinned,
      stepId: step.id,
      pluginId: step.plugin,
      step: step.step,
      settings: step.config,
      maxAttempts: declared.retries + 1,
    });
    if (outcome.kind === 'done') journal(run, step, 'done', outcome.summary);
    else journal(run, step, 'failed', outcome.reason);
  } catch (error) {
    journal(run, step, 'failed', `${step.plugin}.${step.step}: ${failureOf(error)}`);
  }
}
