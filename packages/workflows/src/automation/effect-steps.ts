import type { CreateTaskStep, StartWorkflowStep, TagStep, WorkflowStep } from '@mctb/snapshots';
import { local } from '../activity-proxies.js';
import { journal, type AutomationRun } from './automation-run.js';

type EffectStep = Exclude<WorkflowStep, { kind: 'wait' | 'wait_until' | 'if' | 'wait_for_reply' | 'send_sms' }>;

/** Steps that change something outside the run: tags, tasks, other workflows. */
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
    case 'webhook':
    case 'plugin':
      // Snapshot import refuses these until this release can run them; an older stored one lands here.
      journal(run, step, 'failed', `${step.kind} steps are not available in this release`);
      return;
  }
}

async function tagStep(run: AutomationRun, step: TagStep): Promise<void> {
  const change = step.kind === 'add_tag' ? { add: [step.tag], remove: [] } : { add: [], remove: [step.tag] };
  await local.changeContactTags({ contactId: run.pinned.contact.id, ...change });
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
