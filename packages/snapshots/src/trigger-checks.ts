import { isRecord } from './field-schemas.js';
import { formatPath, type PathSegments, type RawIssue } from './issue-path.js';
import { nameOf, rawConditions, sentTemplate, stepMapping, type RawStep, type RawWorkflow } from './raw-workflows.js';
import { mergeFieldUses } from '@mctb/templates';
import { TRIGGERED_MERGE_FIELDS, triggersLacking } from './trigger-fields.js';
import type { TriggerType } from './workflow-types.js';

/**
 * One automation per trigger: two enabled workflows on one trigger, or the built-in text-back next
 * to an enabled call.missed workflow, would both answer one event (the double texts agencies
 * complain about), so the second is refused, naming the first.
 */
export function checkOneAutomationPerTrigger(workflows: RawWorkflow[], textBack: unknown): RawIssue[] {
  const issues: RawIssue[] = [];
  const first = new Map<string, RawWorkflow>();
  for (const workflow of workflows) {
    if (!workflow.enabled || !workflow.trigger) continue;
    const { type, tag } = workflow.trigger;
    const trigger = type === 'contact.tagged' ? `contact.tagged (tag "${tag ?? ''}")` : type;
    const earlier = first.get(trigger);
    if (!earlier) {
      first.set(trigger, workflow);
      continue;
    }
    issues.push({
      path: [...workflow.path, 'trigger'],
      message: `${nameOf(workflow)} and ${nameOf(earlier)} (${formatPath(earlier.path)}) both run on ${trigger}: one automation per trigger, so branch inside one workflow or set enabled: false on the other`,
    });
  }
  const onMissedCall = first.get('call.missed');
  if (isRecord(textBack) && textBack.enabled !== false && onMissedCall) {
    issues.push({
      path: ['textBack'],
      message: `the built-in text-back (textBack) and ${nameOf(onMissedCall)} (${formatPath(onMissedCall.path)}) both answer call.missed: one automation per trigger, so set textBack.enabled: false or enabled: false on the workflow`,
    });
  }
  return issues;
}

/**
 * Merge fields and conditions a run's trigger cannot supply: a template sent by a workflow that can
 * start from message.received cannot use call.outcome, nor can it test `call_outcome`.
 */
export function checkTriggerSupplies(
  workflows: RawWorkflow[],
  entries: Map<RawWorkflow, Set<TriggerType>>,
  templates: Record<string, unknown>,
): RawIssue[] {
  const issues: RawIssue[] = [];
  for (const workflow of workflows) {
    const from = entries.get(workflow) ?? new Set();
    const lacking = (field: string): string | undefined => {
      const missing = triggersLacking(field, from);
      return missing.length > 0 ? `which ${nameOf(workflow)} cannot supply when it starts from ${missing.join(' or ')}` : undefined;
    };
    for (const step of workflow.steps) {
      for (const used of templatesUsed(step, templates)) {
        const reported = new Set<string>();
        for (const use of mergeFieldUses(used.source)) {
          const why = TRIGGERED_MERGE_FIELDS.has(use.field) && !reported.has(use.field) ? lacking(use.field) : undefined;
          if (!why) continue;
          reported.add(use.field);
          issues.push({ path: used.path, message: `${used.what} uses ${use.field} (line ${use.line}, column ${use.column}), ${why}` });
        }
      }
      for (const condition of rawConditions(step)) {
        const why = condition.key === 'call_outcome' ? lacking('call.outcome') : undefined;
        if (why) issues.push({ path: condition.path, message: `call_outcome needs a missed call, ${why}` });
      }
    }
  }
  return issues;
}

/** The template sources a step renders: a sent or notified template, a task's title. */
function templatesUsed(step: RawStep, templates: Record<string, unknown>): { what: string; source: string; path: PathSegments }[] {
  const used: { what: string; source: string; path: PathSegments }[] = [];
  const named = (key: string, path: PathSegments) => {
    const source = Object.hasOwn(templates, key) ? templates[key] : undefined;
    if (typeof source === 'string') used.push({ what: `template "${key}"`, source, path });
  };
  const sent = step.kind === 'send_sms' ? sentTemplate(step) : undefined;
  if (sent) named(sent.key, sent.path);
  const mapping = stepMapping(step);
  if (step.kind === 'notify' && typeof mapping?.template === 'string') named(mapping.template, [...step.path, 'notify', 'template']);
  if (step.kind === 'create_task' && typeof mapping?.title === 'string') {
    used.push({ what: 'the title', source: mapping.title, path: [...step.path, 'create_task', 'title'] });
  }
  return used;
}
