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

/** The listed plugins' version ranges, by id. */
function listedPluginIds(listed: unknown): Map<string, string> {
  return new Map([...listItems(listed)].flatMap(([, item]) => (typeof item.id === 'string' ? [[item.id, rangeOf(item)] as const] : [])));
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
    // A requirement nothing satisfies yet is the provisioning's to refuse (see snapshotWarnings).
    const plugin = plugins.describe(item.id, rangeOf(item));
    if (!plugin) continue;
    const config = item.config ?? {};
    // A config that isn't a mapping is already a schema error; the plugin would only repeat it.
    if (!isRecord(config)) continue;
    for (const issue of plugin.validateConfig(config)) {
      issues.push({ path: ['plugins', index, 'config', ...parsePath(issue.path)], message: issue.message });
    }
  }
  return issues;
}

/**
 * What the file asks for that this platform can't give yet: a plugin no published version of
 * satisfies. The snapshot is still stored (the plugin may be published before it is provisioned);
 * provisioning refuses it while nothing matches.
 */
export function snapshotWarnings(raw: unknown, plugins: SnapshotPluginLookup): RawIssue[] {
  if (!isRecord(raw)) return [];
  const warnings: RawIssue[] = [];
  for (const [index, item] of listItems(raw.plugins)) {
    if (typeof item.id !== 'string' || plugins.describe(item.id, rangeOf(item))) continue;
    const range = rangeOf(item);
    warnings.push({
      path: ['plugins', index, range === '*' ? 'id' : 'version'],
      message: `no published version of plugin "${item.id}"${range === '*' ? '' : ` matches ${range}`} is available to this agency; provisioning will refuse this snapshot until one is`,
    });
  }
  return warnings;
}

function rangeOf(item: Record<string, unknown>): string {
  return typeof item.version === 'string' ? item.version : '*';
}

function* listItems(value: unknown): Generator<[number, Record<string, unknown>]> {
  if (!Array.isArray(value)) return;
  for (const [index, item] of value.entries()) if (isRecord(item)) yield [index, item];
}
