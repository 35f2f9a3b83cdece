import { isRecord } from './field-schemas.js';
import type { PathSegments } from './issue-path.js';
import { BRANCH_KEYS, MAX_CONDITION_DEPTH, MAX_STEP_DEPTH, MAX_WORKFLOWS, STEP_KEYS, type StepKey } from './workflow-syntax.js';
import { TRIGGER_TYPES, type TriggerType } from './workflow-types.js';

/**
 * The workflows of a raw (not yet validated) document, read defensively: the cross-field checks
 * run on it even when the schema rejected something, so one save lists every problem.
 */
export interface RawWorkflow {
  index: number;
  path: PathSegments;
  key: string | undefined;
  /** Anything but `enabled: false` counts as enabled. */
  enabled: boolean;
  trigger: { type: TriggerType; tag: string | undefined } | undefined;
  /** Every step, branches included, in source order (down to MAX_STEP_DEPTH). */
  steps: RawStep[];
}

export interface RawStep {
  path: PathSegments;
  /** Undefined unless the step has exactly one step key. */
  kind: StepKey | undefined;
  fields: Record<string, unknown>;
}

export function readRawWorkflows(raw: unknown): RawWorkflow[] {
  if (!isRecord(raw) || !Array.isArray(raw.workflows)) return [];
  const workflows: RawWorkflow[] = [];
  // Past the limit the schema's issue says enough, and the checks stay cheap on a hostile file.
  for (const [index, item] of raw.workflows.slice(0, MAX_WORKFLOWS).entries()) {
    if (!isRecord(item)) continue;
    const path = ['workflows', index];
    const steps: RawStep[] = [];
    collectSteps(item.steps, [...path, 'steps'], 1, steps);
    workflows.push({
      index,
      path,
      key: typeof item.key === 'string' ? item.key : undefined,
      enabled: item.enabled !== false,
      trigger: readTrigger(item.trigger),
      steps,
    });
  }
  return workflows;
}

function readTrigger(raw: unknown): RawWorkflow['trigger'] {
  if (!isRecord(raw)) return undefined;
  const type = TRIGGER_TYPES.find((known) => known === raw.type);
  return type && { type, tag: typeof raw.tag === 'string' ? raw.tag.trim() : undefined };
}

function collectSteps(list: unknown, path: PathSegments, depth: number, into: RawStep[]): void {
  if (!Array.isArray(list) || depth > MAX_STEP_DEPTH) return;
  for (const [index, fields] of list.entries()) {
    if (!isRecord(fields)) continue;
    const kinds = STEP_KEYS.filter((key) => Object.hasOwn(fields, key));
    const kind = kinds.length === 1 ? kinds[0] : undefined;
    const stepPath = [...path, index];
    into.push({ path: stepPath, kind, fields });
    for (const branch of (kind && BRANCH_KEYS[kind]) ?? []) collectSteps(fields[branch], [...stepPath, branch], depth + 1, into);
  }
}

/** A `send_sms` step's template key, from the short or the long form. */
export function sentTemplate(step: RawStep): { key: string; path: PathSegments } | undefined {
  const value = step.fields.send_sms;
  if (typeof value === 'string') return { key: value, path: [...step.path, 'send_sms'] };
  if (isRecord(value) && typeof value.template === 'string') return { key: value.template, path: [...step.path, 'send_sms', 'template'] };
  return undefined;
}

/** A mapping-valued step field (`notify`, `create_task`, …) or undefined. */
export function stepMapping(step: RawStep): Record<string, unknown> | undefined {
  const value = step.kind && step.fields[step.kind];
  return isRecord(value) ? value : undefined;
}

/**
 * The conditions under an `if` step, `all`/`any`/`not` opened (down to MAX_CONDITION_DEPTH), each
 * as its one key, its value and its path.
 */
export function rawConditions(step: RawStep): { key: string; value: unknown; path: PathSegments }[] {
  const found: { key: string; value: unknown; path: PathSegments }[] = [];
  const visit = (condition: unknown, path: PathSegments, depth: number): void => {
    if (!isRecord(condition) || depth > MAX_CONDITION_DEPTH) return;
    for (const [key, value] of Object.entries(condition)) {
      found.push({ key, value, path: [...path, key] });
      if (key === 'not') visit(value, [...path, key], depth + 1);
      if ((key === 'all' || key === 'any') && Array.isArray(value)) {
        value.forEach((item, index) => visit(item, [...path, key, index], depth + 1));
      }
    }
  };
  if (step.kind === 'if') visit(step.fields.if, [...step.path, 'if'], 1);
  return found;
}

/** How messages name a workflow: by its key, else by its place in the list. */
export function nameOf(workflow: RawWorkflow): string {
  return workflow.key === undefined ? `workflow ${workflow.index + 1}` : `workflow "${workflow.key}"`;
}
