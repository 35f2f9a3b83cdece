import { NUL_MESSAGE, printable } from '@mctb/domain';
import type { SnapshotDefinition, SnapshotIssue } from './types.js';

/** A custom value is a link, a name, a phone number: a couple of thousand characters is plenty. */
export const MAX_CUSTOM_VALUE_LENGTH = 2000;

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
    if (value !== undefined && value.includes('\u0000')) {
      issues.push({ path: `customValues.${declared.key}`, message: NUL_MESSAGE });
      continue;
    }
    if (value !== undefined && value.length > MAX_CUSTOM_VALUE_LENGTH) {
      issues.push({ path: `customValues.${declared.key}`, message: `must be at most ${MAX_CUSTOM_VALUE_LENGTH} characters` });
      continue;
    }
    values[declared.key] = value ?? declared.default ?? '';
  }
  const declaredKeys = new Set(snapshot.customValues.map((value) => value.key));
  for (const key of Object.keys(provided)) {
    if (!declaredKeys.has(key)) {
      const { slug, version } = snapshot.metadata;
      // The key is echoed back in the path: keep it printable.
      const shown = printable(key);
      issues.push({ path: `customValues.${shown}`, message: `custom value "${shown}" is not declared by snapshot ${slug} v${version}` });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, values };
}
