import { isDeepStrictEqual } from 'node:util';
import { templateProblems } from './template-checks.js';
import type { SnapshotDefinition, SnapshotIssue } from './types.js';

/**
 * What a sub-account changed after provisioning. These win over its snapshot version's, and an
 * upgrade keeps them, reporting a conflict when the newer version changes the same thing.
 */
export interface LocalEdits {
  /** Template bodies by key (only keys the snapshot defines). */
  templates?: Record<string, string>;
  /** The sub-account's own hours; null: it runs without business hours. */
  businessHours?: SnapshotDefinition['businessHours'];
}

/** The definition a sub-account runs: its version's, with its local edits applied. */
export function withLocalEdits(definition: SnapshotDefinition, edits: LocalEdits | null | undefined): SnapshotDefinition {
  if (!edits || (edits.templates === undefined && edits.businessHours === undefined)) return definition;
  const templates = { ...definition.templates };
  for (const [key, body] of Object.entries(edits.templates ?? {})) {
    // An edit of a template a newer version dropped is kept (reported at the upgrade) but unused.
    if (Object.hasOwn(templates, key)) templates[key] = body;
  }
  return {
    ...definition,
    templates,
    businessHours: edits.businessHours === undefined ? definition.businessHours : edits.businessHours,
  };
}

/** Problems with a template a sub-account writes over its snapshot's `key`, at `templates.<key>`. */
export function localTemplateProblems(definition: SnapshotDefinition, key: string, source: string): SnapshotIssue[] {
  if (!Object.hasOwn(definition.templates, key)) {
    const defined = Object.keys(definition.templates).map((name) => `"${name}"`).join(', ') || 'none';
    return [{ path: 'key', message: `snapshot ${definition.metadata.slug} v${definition.metadata.version} has no template "${key}" (it has ${defined})` }];
  }
  const context = {
    customValueKeys: definition.customValues.map((value) => value.key),
    apiVersion: definition.apiVersion === 'mctb.dev/v2' ? ('v2' as const) : ('v1' as const),
    businessHoursDeclared: definition.businessHours !== null,
  };
  return templateProblems(source, context).map((problem) => ({ path: 'body', message: `line ${problem.line}, column ${problem.column}: ${problem.message}` }));
}

/** A local edit an upgrade from `from` to `to` keeps although the newer version changes the same thing. */
export interface LocalEditConflict {
  path: string;
  message: string;
}

/** The local edits that the move from one version to another touches; each stays as the sub-account set it. */
export function localEditConflicts(from: SnapshotDefinition | null, to: SnapshotDefinition, edits: LocalEdits | null | undefined): LocalEditConflict[] {
  if (!edits) return [];
  const conflicts: LocalEditConflict[] = [];
  const version = `v${to.metadata.version}`;
  for (const key of Object.keys(edits.templates ?? {})) {
    const path = `templates.${key}`;
    if (!Object.hasOwn(to.templates, key)) {
      conflicts.push({ path, message: `${version} no longer has template "${key}": the local edit is kept but nothing uses it` });
    } else if (from === null || from.templates[key] !== to.templates[key]) {
      conflicts.push({ path, message: `${version} changes template "${key}", which this sub-account edited: the local edit is kept` });
    }
  }
  if (edits.businessHours !== undefined && (from === null || !isDeepStrictEqual(json(from.businessHours), json(to.businessHours)))) {
    conflicts.push({ path: 'businessHours', message: `${version} changes the business hours, which this sub-account set itself: its own hours are kept` });
  }
  return conflicts;
}

function json(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null));
}
