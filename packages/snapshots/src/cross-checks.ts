import { validateTemplate } from '@mctb/templates';
import { parsePath, type RawIssue } from './issue-path.js';
import type { SnapshotPluginLookup } from './types.js';

/**
 * Checks that need more than one field at a time. They read the raw document defensively, so they
 * still run (and report) when the schema rejected something elsewhere: one save lists every problem.
 */
export function crossCheckSnapshot(raw: unknown, plugins: SnapshotPluginLookup): RawIssue[] {
  if (!isRecord(raw)) return [];
  const declaredKeys = checkCustomValues(raw.customValues);
  return [
    ...declaredKeys.issues,
    ...checkTemplates(raw.templates, raw.textBack, declaredKeys.keys),
    ...checkPlugins(raw.plugins, plugins),
  ];
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

function checkTemplates(templates: unknown, textBack: unknown, customValueKeys: string[]): RawIssue[] {
  if (!isRecord(templates)) return [];
  const issues: RawIssue[] = [];
  if (isRecord(textBack) && typeof textBack.template === 'string' && !Object.hasOwn(templates, textBack.template)) {
    const defined = Object.keys(templates).map((key) => `"${key}"`).join(', ') || 'none';
    issues.push({
      path: ['textBack', 'template'],
      message: `template "${textBack.template}" is not defined under templates (defined: ${defined})`,
    });
  }
  for (const [key, source] of Object.entries(templates)) {
    if (typeof source !== 'string') continue;
    for (const issue of validateTemplate(source, { customValueKeys })) {
      issues.push({ path: ['templates', key], message: `line ${issue.line}, column ${issue.column}: ${issue.message}` });
    }
  }
  return issues;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function* listItems(value: unknown): Generator<[number, Record<string, unknown>]> {
  if (!Array.isArray(value)) return;
  for (const [index, item] of value.entries()) if (isRecord(item)) yield [index, item];
}
