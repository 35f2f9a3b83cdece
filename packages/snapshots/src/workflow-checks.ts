import { customValueReference, isRecord } from './field-schemas.js';
import { formatPath, parsePath, type RawIssue } from './issue-path.js';
import { nameOf, rawConditions, readRawWorkflows, sentTemplate, stepMapping, type RawStep, type RawWorkflow } from './raw-workflows.js';
import { checkTemplateReference, templateProblems } from './template-checks.js';
import { checkOneAutomationPerTrigger, checkTriggerSupplies } from './trigger-checks.js';
import type { SnapshotPluginLookup } from './types.js';
import { checkWorkflowGraph } from './workflow-graph.js';
import { MAX_STEPS_PER_WORKFLOW, TEXT_BACK_WORKFLOW_KEY } from './workflow-syntax.js';

export interface WorkflowCheckContext {
  /** Undefined when the templates block is itself broken: references to it are then not checked. */
  templates: Record<string, unknown> | undefined;
  customValueKeys: readonly string[];
  /** Plugin ids under the snapshot's `plugins`. */
  /** Plugins listed under `plugins`, with their version ranges. */
  listedPlugins: ReadonlyMap<string, string>;
  plugins: SnapshotPluginLookup;
  businessHoursDeclared: boolean;
}

/**
 * The checks of a v2 snapshot's workflows that need more than one field: keys, step ids, what steps
 * refer to (templates, workflows, plugins, custom values, business hours), start_workflow cycles,
 * one automation per trigger, and merge fields each trigger supplies. Reads the raw document.
 */
export function checkWorkflows(raw: Record<string, unknown>, context: WorkflowCheckContext): RawIssue[] {
  const workflows = readRawWorkflows(raw);
  const graph = checkWorkflowGraph(workflows);
  return [
    ...checkWorkflowKeys(workflows),
    ...workflows.flatMap((workflow) => checkSteps(workflow, context)),
    ...graph.issues,
    ...checkOneAutomationPerTrigger(workflows, raw.textBack),
    ...checkTriggerSupplies(workflows, graph.entries, context.templates ?? {}),
  ];
}

function checkWorkflowKeys(workflows: RawWorkflow[]): RawIssue[] {
  const issues: RawIssue[] = [];
  const first = new Map<string, RawWorkflow>();
  for (const workflow of workflows) {
    if (workflow.key === undefined) continue;
    const path = [...workflow.path, 'key'];
    const earlier = first.get(workflow.key);
    if (earlier) issues.push({ path, message: `workflow "${workflow.key}" is already defined at ${formatPath(earlier.path)}` });
    else first.set(workflow.key, workflow);
    if (workflow.key === TEXT_BACK_WORKFLOW_KEY) {
      issues.push({ path, message: `"${TEXT_BACK_WORKFLOW_KEY}" is reserved for the workflow the textBack settings compile into: pick another key` });
    }
  }
  return issues;
}

function checkSteps(workflow: RawWorkflow, context: WorkflowCheckContext): RawIssue[] {
  const issues: RawIssue[] = [];
  if (workflow.steps.length > MAX_STEPS_PER_WORKFLOW) {
    issues.push({
      path: [...workflow.path, 'steps'],
      message: `${nameOf(workflow)} has ${workflow.steps.length} steps, branches included; the limit is ${MAX_STEPS_PER_WORKFLOW}: move a part into a workflow started with start_workflow`,
    });
  }
  const firstWithId = new Map<string, RawStep>();
  for (const step of workflow.steps) {
    const id = step.fields.id;
    if (typeof id === 'string') {
      const earlier = firstWithId.get(id);
      if (earlier) issues.push({ path: [...step.path, 'id'], message: `step id "${id}" is already used at ${formatPath(earlier.path)}` });
      else firstWithId.set(id, step);
    }
    issues.push(...checkStepReferences(step, context));
  }
  return issues;
}

/** What one step names must exist: its template, plugin, custom values, the business hours. */
function checkStepReferences(step: RawStep, context: WorkflowCheckContext): RawIssue[] {
  const issues: RawIssue[] = [];
  const mapping = stepMapping(step);
  const needsHours = (path: RawIssue['path'], what: string) => {
    if (!context.businessHoursDeclared) issues.push({ path, message: `${what} needs a businessHours block in the snapshot` });
  };
  const { templates } = context;
  const sent = step.kind === 'send_sms' ? sentTemplate(step) : undefined;
  if (sent && templates) issues.push(...checkTemplateReference(sent.key, sent.path, templates));
  if (step.kind === 'notify' && typeof mapping?.template === 'string' && templates) {
    issues.push(...checkTemplateReference(mapping.template, [...step.path, 'notify', 'template'], templates));
  }
  if (step.kind === 'create_task' && typeof mapping?.title === 'string') {
    for (const problem of templateProblems(mapping.title, { ...context, apiVersion: 'v2' })) {
      issues.push({ path: [...step.path, 'create_task', 'title'], message: `line ${problem.line}, column ${problem.column}: ${problem.message}` });
    }
  }
  if (step.kind === 'wait' && isRecord(step.fields.wait)) needsHours([...step.path, 'wait'], 'waiting until business hours open');
  for (const condition of rawConditions(step)) {
    if (condition.key === 'business_hours') needsHours(condition.path, 'a business_hours condition');
    const key = condition.key === 'custom_value' && isRecord(condition.value) ? condition.value.key : undefined;
    if (typeof key === 'string' && !context.customValueKeys.includes(key)) {
      issues.push({ path: [...condition.path, 'key'], message: `custom value "${key}" is not declared under customValues` });
    }
  }
  for (const recipient of recipientsOf(step, mapping)) {
    const key = customValueReference(recipient.value);
    if (key !== undefined && !context.customValueKeys.includes(key)) {
      issues.push({ path: recipient.path, message: `custom value "${key}" is not declared under customValues` });
    }
  }
  if (step.kind === 'plugin') issues.push(...checkPluginStep(step, context));
  return issues;
}

function recipientsOf(step: RawStep, mapping: Record<string, unknown> | undefined): { value: string; path: RawIssue['path'] }[] {
  const field = step.kind === 'notify' ? 'to' : step.kind === 'create_task' ? 'assignee' : step.kind === 'webhook' ? 'url' : undefined;
  const value = field === undefined ? undefined : mapping?.[field];
  return typeof value === 'string' && field ? [{ value, path: [...step.path, step.kind!, field] }] : [];
}

function checkPluginStep(step: RawStep, context: WorkflowCheckContext): RawIssue[] {
  const { plugin: id, step: name } = step.fields;
  if (typeof id !== 'string') return [];
  const path = [...step.path, 'plugin'];
  if (!context.listedPlugins.has(id)) {
    return [{ path, message: `plugin "${id}" is not listed under plugins: list it there so provisioning installs it` }];
  }
  const plugin = context.plugins.describe(id, context.listedPlugins.get(id) ?? '*');
  // A plugin nothing resolves to yet is warned about under plugins; its steps are checked once it resolves.
  if (!plugin || typeof name !== 'string') return [];
  const offered = plugin.describeStep?.(name);
  if (!offered) return [{ path: [...step.path, 'step'], message: `plugin "${id}" offers no workflow step "${name}"` }];
  const config = step.fields.with ?? {};
  if (!isRecord(config)) return [];
  return offered.validateConfig(config).map((issue) => ({ path: [...step.path, 'with', ...parsePath(issue.path)], message: issue.message }));
}
