import { isDeepStrictEqual } from 'node:util';
import type { SnapshotDefinition } from './types.js';
import type { Workflow, WorkflowStep } from './workflow-types.js';
import { TEXT_BACK_WORKFLOW_KEY } from './workflow-syntax.js';

export type SnapshotChangeKind = 'added' | 'removed' | 'changed' | 'newly_required';

/** One difference between two versions of a snapshot, at a path like `templates.first_text`. */
export interface SnapshotChange {
  /** The part of the snapshot: metadata, customValues, templates, workflows, textBack, businessHours, quietHours, exclusions, plugins. */
  section: string;
  path: string;
  kind: SnapshotChangeKind;
  /** One line a person reads, e.g. `step "follow_up" added after "reply"`. */
  summary: string;
  before?: unknown;
  after?: unknown;
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * What changes from one version of a snapshot to another, by path, in a stable order: templates,
 * workflows (steps added, removed, changed or moved), hours, custom values (added, removed, newly
 * required), text-back settings, exclusions and plugin requirements.
 */
export function diffSnapshots(from: SnapshotDefinition, to: SnapshotDefinition): SnapshotChange[] {
  return [
    ...diffMetadata(from, to),
    ...diffCustomValues(from, to),
    ...diffRecord('templates', from.templates, to.templates, 'template'),
    // The workflow compiled from `textBack` changes with it: its settings are diffed instead.
    ...diffWorkflows(authored(from.workflows), authored(to.workflows)),
    ...diffFields('textBack', from.textBack, to.textBack),
    ...diffHours(from, to),
    ...diffFields('exclusions', from.exclusions, to.exclusions),
    ...diffPlugins(from, to),
  ];
}

function authored(workflows: Workflow[]): Workflow[] {
  return workflows.filter((workflow) => workflow.key !== TEXT_BACK_WORKFLOW_KEY);
}

function diffMetadata(from: SnapshotDefinition, to: SnapshotDefinition): SnapshotChange[] {
  const changes: SnapshotChange[] = [];
  for (const field of ['name', 'description'] as const) {
    const before = from.metadata[field];
    const after = to.metadata[field];
    if (before !== after) changes.push(change('metadata', `metadata.${field}`, before, after, `${field} changed`));
  }
  return changes;
}

function diffCustomValues(from: SnapshotDefinition, to: SnapshotDefinition): SnapshotChange[] {
  const changes: SnapshotChange[] = [];
  const before = new Map(from.customValues.map((value) => [value.key, value]));
  const after = new Map(to.customValues.map((value) => [value.key, value]));
  for (const [key, value] of before) {
    if (!after.has(key)) changes.push({ section: 'customValues', path: `customValues.${key}`, kind: 'removed', summary: `custom value "${key}" removed`, before: value });
  }
  for (const [key, value] of after) {
    const old = before.get(key);
    const path = `customValues.${key}`;
    if (!old) {
      const summary = value.required ? `custom value "${key}" added, required: every sub-account must give it` : `custom value "${key}" added`;
      changes.push({ section: 'customValues', path, kind: value.required ? 'newly_required' : 'added', summary, after: value });
    } else if (value.required && !old.required) {
      changes.push({ section: 'customValues', path, kind: 'newly_required', summary: `custom value "${key}" is now required`, before: old, after: value });
    } else if (!isDeepStrictEqual(json(old), json(value))) {
      changes.push(change('customValues', path, old, value, `custom value "${key}" changed`));
    }
  }
  return changes;
}

function diffWorkflows(from: Workflow[], to: Workflow[]): SnapshotChange[] {
  const changes: SnapshotChange[] = [];
  const before = new Map(from.map((workflow) => [workflow.key, workflow]));
  const after = new Map(to.map((workflow) => [workflow.key, workflow]));
  for (const [key, workflow] of before) {
    if (!after.has(key)) changes.push({ section: 'workflows', path: `workflows.${key}`, kind: 'removed', summary: `workflow "${key}" removed`, before: workflow });
  }
  for (const [key, workflow] of after) {
    const old = before.get(key);
    if (!old) {
      changes.push({ section: 'workflows', path: `workflows.${key}`, kind: 'added', summary: `workflow "${key}" added`, after: workflow });
      continue;
    }
    for (const field of ['name', 'enabled', 'trigger', 'dedup'] as const) {
      if (!isDeepStrictEqual(json(old[field]), json(workflow[field]))) {
        changes.push(change('workflows', `workflows.${key}.${field}`, old[field], workflow[field], `workflow "${key}": ${field} changed`));
      }
    }
    changes.push(...diffSteps(key, old.steps, workflow.steps));
  }
  return changes;
}

interface PlacedStep {
  /** The step without its nested branches, which are compared step by step. */
  own: Record<string, unknown>;
  /** Where it sits: the id of the step whose branch holds it (or '' at the top) and the branch. */
  place: string;
  /** The id of the step before it in the same branch, or null when it comes first. */
  after: string | null;
}

function diffSteps(workflowKey: string, from: WorkflowStep[], to: WorkflowStep[]): SnapshotChange[] {
  const changes: SnapshotChange[] = [];
  const before = placeSteps(from);
  const after = placeSteps(to);
  const reordered = reorderedSteps(before, after);
  const path = (id: string) => `workflows.${workflowKey}.steps.${id}`;
  for (const [id, step] of before) {
    if (!after.has(id)) changes.push({ section: 'workflows', path: path(id), kind: 'removed', summary: `workflow "${workflowKey}": step "${id}" removed`, before: step.own });
  }
  for (const [id, step] of after) {
    const old = before.get(id);
    if (!old) {
      const where = step.after === null ? 'first' : `after "${step.after}"`;
      changes.push({ section: 'workflows', path: path(id), kind: 'added', summary: `workflow "${workflowKey}": step "${id}" (${String(step.own.kind)}) added ${where}`, after: step.own });
    } else if (!isDeepStrictEqual(json(old.own), json(step.own))) {
      changes.push(change('workflows', path(id), old.own, step.own, `workflow "${workflowKey}": step "${id}" changed`));
    } else if (old.place !== step.place || reordered.has(id)) {
      const where = step.place === '' ? 'the top' : step.place;
      changes.push(change('workflows', path(id), old.place, step.place, `workflow "${workflowKey}": step "${id}" moved (now in ${where}, ${step.after === null ? 'first' : `after "${step.after}"`})`));
    }
  }
  return changes;
}

/**
 * Steps whose order changed within a branch they stay in: those outside the longest run of steps
 * that kept their order, so swapping two steps reports one move, not every neighbour.
 */
function reorderedSteps(before: Map<string, PlacedStep>, after: Map<string, PlacedStep>): Set<string> {
  const stayed = [...after.keys()].filter((id) => before.get(id)?.place === after.get(id)?.place);
  const moved = new Set<string>();
  for (const place of new Set(stayed.map((id) => after.get(id)?.place))) {
    const now = stayed.filter((id) => after.get(id)?.place === place);
    const then = [...before.keys()].filter((id) => now.includes(id));
    const kept = new Set(longestCommonSubsequence(then, now));
    for (const id of now) if (!kept.has(id)) moved.add(id);
  }
  return moved;
}

function longestCommonSubsequence(a: string[], b: string[]): string[] {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = table[i] as number[];
      row[j] = a[i] === b[j] ? (table[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(table[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const common: string[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      common.push(a[i] as string);
      i++;
      j++;
    } else if ((table[i + 1]?.[j] ?? 0) >= (table[i]?.[j + 1] ?? 0)) i++;
    else j++;
  }
  return common;
}

function placeSteps(steps: WorkflowStep[], place = '', placed = new Map<string, PlacedStep>()): Map<string, PlacedStep> {
  let previous: string | null = null;
  for (const step of steps) {
    const own: Record<string, unknown> = { ...step };
    const branches: [string, WorkflowStep[]][] = [];
    if (step.kind === 'if') branches.push(['then', step.then], ['else', step.else]);
    if (step.kind === 'wait_for_reply') branches.push(['replied', step.replied], ['noReply', step.noReply]);
    for (const [name, branch] of branches) {
      delete own[name];
      placeSteps(branch, `${step.id}.${name}`, placed);
    }
    placed.set(step.id, { own, place, after: previous });
    previous = step.id;
  }
  return placed;
}

function diffHours(from: SnapshotDefinition, to: SnapshotDefinition): SnapshotChange[] {
  const changes: SnapshotChange[] = [];
  const before = from.businessHours;
  const after = to.businessHours;
  if (before === null || after === null) {
    if (before !== after) {
      const kind = before === null ? 'added' : 'removed';
      changes.push({ section: 'businessHours', path: 'businessHours', kind, summary: `business hours ${kind}`, before: before ?? undefined, after: after ?? undefined });
    }
  } else {
    if (before.timeZone !== after.timeZone) changes.push(change('businessHours', 'businessHours.timeZone', before.timeZone, after.timeZone, 'business hours time zone changed'));
    WEEKDAYS.forEach((day, index) => {
      const old = before.weekly[index] ?? [];
      const now = after.weekly[index] ?? [];
      if (!isDeepStrictEqual(old, now)) changes.push(change('businessHours', `businessHours.${day}`, old, now, `${day} hours changed`));
    });
    const added = after.closed.filter((date) => !before.closed.includes(date));
    const removed = before.closed.filter((date) => !after.closed.includes(date));
    for (const date of added) changes.push({ section: 'businessHours', path: `businessHours.closed.${date}`, kind: 'added', summary: `closed on ${date}`, after: date });
    for (const date of removed) changes.push({ section: 'businessHours', path: `businessHours.closed.${date}`, kind: 'removed', summary: `no longer closed on ${date}`, before: date });
  }
  if (!isDeepStrictEqual(from.quietHours, to.quietHours)) changes.push(change('quietHours', 'quietHours', from.quietHours, to.quietHours, 'quiet hours changed'));
  return changes;
}

function diffPlugins(from: SnapshotDefinition, to: SnapshotDefinition): SnapshotChange[] {
  const before = Object.fromEntries(from.plugins.map((plugin) => [plugin.id, { version: plugin.version, config: plugin.config }]));
  const after = Object.fromEntries(to.plugins.map((plugin) => [plugin.id, { version: plugin.version, config: plugin.config }]));
  return diffRecord('plugins', before, after, 'plugin requirement');
}

/** Keyed entries added, removed or changed, in the order of the newer version (removed ones first). */
function diffRecord(section: string, from: Record<string, unknown>, to: Record<string, unknown>, noun: string): SnapshotChange[] {
  const changes: SnapshotChange[] = [];
  for (const key of Object.keys(from)) {
    if (!Object.hasOwn(to, key)) changes.push({ section, path: `${section}.${key}`, kind: 'removed', summary: `${noun} "${key}" removed`, before: from[key] });
  }
  for (const key of Object.keys(to)) {
    if (!Object.hasOwn(from, key)) changes.push({ section, path: `${section}.${key}`, kind: 'added', summary: `${noun} "${key}" added`, after: to[key] });
    else if (!isDeepStrictEqual(json(from[key]), json(to[key]))) changes.push(change(section, `${section}.${key}`, from[key], to[key], `${noun} "${key}" changed`));
  }
  return changes;
}

function diffFields<T extends object>(section: string, from: T, to: T): SnapshotChange[] {
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return keys.flatMap((key) => {
    const before = (from as Record<string, unknown>)[key];
    const after = (to as Record<string, unknown>)[key];
    return isDeepStrictEqual(json(before), json(after)) ? [] : [change(section, `${section}.${key}`, before, after, `${section} ${key} changed`)];
  });
}

function change(section: string, path: string, before: unknown, after: unknown, summary: string): SnapshotChange {
  return { section, path, kind: 'changed', summary, before, after };
}

/** Compared as stored: a jsonb round trip drops undefined keys. */
function json(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
