import type { SnapshotDefinition, SnapshotIssue } from './types.js';

export type ResolveCustomValuesResult =
  | { ok: true; values: Record<string, string> }
  | { ok: false; issues: SnapshotIssue[] };

/**
 * Works out one client's custom values: what they provided, else the snapshot's default, else ''
 * (so every declared key is present and templates can use `| default:`). A required value that is
 * missing or blank, and a key the snapshot doesn't declare, are issues at `customValues.<key>`.
 */
export function resolveCustomValues(
  snapshot: SnapshotDefinition,
  provided: Readonly<Record<string, string>>,
): ResolveCustomValuesResult {
  const issues: SnapshotIssue[] = [];
  const values: Record<string, string> = {};
  for (const declared of snapshot.customValues) {
    const value = Object.hasOwn(provided, declared.key) ? provided[declared.key] : undefined;
    if (declared.required && (value === undefined || value.trim() === '')) {
      issues.push({ path: `customValues.${declared.key}`, message: `"${declared.name}" is required` });
      continue;
    }
    values[declared.key] = value ?? declared.default ?? '';
  }
  const declaredKeys = new Set(snapshot.customValues.map((value) => value.key));
  for (const key of Object.keys(provided)) {
    if (!declaredKeys.has(key)) {
      const { slug, version } = snapshot.metadata;
      issues.push({ path: `customValues.${key}`, message: `custom value "${key}" is not declared by snapshot ${slug} v${version}` });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, values };
}
