import type { SnapshotDefinition, Workflow, WorkflowStep } from '@mctb/snapshots';

/** Steps of a tree, depth first. */
export function* allSteps(steps: readonly WorkflowStep[]): Generator<WorkflowStep> {
  for (const step of steps) {
    yield step;
    if (step.kind === 'if') {
      yield* allSteps(step.then);
      yield* allSteps(step.else);
    } else if (step.kind === 'wait_for_reply') {
      yield* allSteps(step.replied);
      yield* allSteps(step.noReply);
    }
  }
}

/** The workflow and every workflow its `start_workflow` steps reach (import refuses cycles). */
export function reachableWorkflows(definition: SnapshotDefinition, key: string): Record<string, Workflow> {
  const byKey = new Map(definition.workflows.map((workflow) => [workflow.key, workflow]));
  const reached: Record<string, Workflow> = {};
  const visit = (current: string) => {
    const workflow = byKey.get(current);
    if (!workflow || reached[current]) return;
    reached[current] = workflow;
    for (const step of allSteps(workflow.steps)) if (step.kind === 'start_workflow') visit(step.workflow);
  };
  visit(key);
  return reached;
}

/** The templates these workflows send or notify with. */
export function templatesUsedBy(definition: SnapshotDefinition, workflows: readonly Workflow[]): Record<string, string> {
  const used: Record<string, string> = {};
  for (const workflow of workflows) {
    for (const step of allSteps(workflow.steps)) {
      if (step.kind !== 'send_sms' && step.kind !== 'notify') continue;
      const source = definition.templates[step.template];
      if (source !== undefined) used[step.template] = source;
    }
  }
  return used;
}
