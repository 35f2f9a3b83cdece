import { isRecord } from './field-schemas.js';
import { parsePath, type RawIssue } from './issue-path.js';
import { SNAPSHOT_API_VERSION_V2 } from './schema.js';
import { checkTemplates } from './template-checks.js';
import type { SnapshotPluginLookup } from './types.js';
import { checkWorkflows } from './workflow-checks.js';

/**
 * Checks that need more than one field at a time. They read the raw document defensively, so they
 * still run (and report) when the schema rejected something elsewhere: one save lists every problem.
 */
export function crossCheckSnapshot(raw: unknown, plugins: SnapshotPluginLookup): RawIssue[] {
  if (!isRecord(raw)) return [];
  const declaredKeys = checkCustomValues(raw.customValues);
  const v2 = raw.apiVersion === SNAPSHOT_API_VERSION_V2;
  // v1 requires templates (the schema says so when they are missing); v2 may have none.
  const templates = isRecord(raw.templates) ? raw.templates : v2 && raw.templates === undefined ? {} : undefined;
  const businessHoursDeclared = raw.businessHours !== undefined && raw.businessHours !== null;
  const context = { customValueKeys: declaredKeys.keys, apiVersion: v2 ? 'v2' : 'v1', businessHoursDeclared } as const;
  return [
    ...declaredKeys.issues,
    ...(templates ? checkTemplates(raw.textBack, { ...context, templates }) : []),
    ...checkPlugins(raw.plugins, plugins),
    ...(v2 ? checkWorkflows(raw, { ...context, templates, listedPlugins: listedPluginIds(raw.plugins), plugins }) : []),
  ];
}

function listedPluginIds(listed: unknown): Set<string> {
  return new Set([...listItems(listed)].flatMap(([, item]) => (typeof item.id === 'string' ? [item.id] : [])));
}

function checkCustomValues(customValues: unknown): { keys: string[]; issues: RawIssue[] } {
  const issues: RawIssue[] = [];
  const firstIndexOfKey = new Map<string, number>();
  for (const [index, item] of listItems(customValues)) {
    if (typeof item.key === 'string') {
      const first = firstIndexOfKey.get(item.key);
      if (first === undefined) firstIndexOfKey.set(item.key, index);
      else {
        issues.push({
          path: ['customValues', index, 'key'],
          message: `custom value "${item.key}" is already declared at customValues[${first}]`,
        });
      }
    }
    if (item.required === true && item.default !== undefined) {
      issues.push({
        path: ['customValues', index, 'default'],
        message: 'a required custom value cannot have a default: remove the default, or make it optional',
      });
    }
  }
  return { keys: [...firstIndexOfKey.keys()], issues };
}

function checkPlugins(listed: unknown, plugins: SnapshotPluginLookup): RawIssue[] {
  const issues: RawIssue[] = [];
  const firstIndexOfId = new Map<string, number>();
  for (const [index, item] of listItems(listed)) {
    if (typeof item.id !== 'string') continue;
    const first = firstIndexOfId.get(item.id);
    if (first !== undefined) {
      issues.push({ path: ['plugins', index, 'id'], message: `plugin "${item.id}" is already listed at plugins[${first}]` });
      continue;
    }
    firstIndexOfId.set(item.id, index);
    const plugin = plugins.describe(item.id);
    if (!plugin) {
      issues.push({ path: ['plugins', index, 'id'], message: `unknown plugin "${item.id}": it is not installed on this platform` });
      continue;
    }
    const config = item.config ?? {};
    // A config that isn't a mapping is already a schema error; the plugin would only repeat it.
    if (!isRecord(config)) continue;
    for (const issue of plugin.validateConfig(config)) {
      issues.push({ path: ['plugins', index, 'config', ...parsePath(issue.path)], message: issue.message });
    }
  }
  return issues;
}

function* listItems(value: unknown): Generator<[number, Record<string, unknown>]> {
  if (!Array.isArray(value)) return;
  for (const [index, item] of value.entries()) if (isRecord(item)) yield [index, item];
}
