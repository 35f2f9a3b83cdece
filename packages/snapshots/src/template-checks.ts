import { mergeFieldUses, validateTemplate, type TemplateIssue } from '@mctb/templates';
import { isRecord } from './field-schemas.js';
import type { PathSegments, RawIssue } from './issue-path.js';
import { BUSINESS_HOURS_FIELDS } from './trigger-fields.js';

export interface TemplateCheckContext {
  templates: Record<string, unknown>;
  customValueKeys: readonly string[];
  /** v2 templates may use the business_hours.* merge fields; v1 ones may not. */
  apiVersion: 'v1' | 'v2';
  businessHoursDeclared: boolean;
}

/**
 * Every template's syntax and merge fields, and the templates the text-back settings name.
 * Positions inside a template are in the message; the issue sits at `templates.<key>`.
 */
export function checkTemplates(textBack: unknown, context: TemplateCheckContext): RawIssue[] {
  const issues: RawIssue[] = [];
  if (isRecord(textBack)) {
    for (const field of ['template', 'afterHoursTemplate']) {
      const key = textBack[field];
      if (typeof key === 'string') issues.push(...checkTemplateReference(key, ['textBack', field], context.templates));
    }
    if (typeof textBack.afterHoursTemplate === 'string' && !context.businessHoursDeclared) {
      issues.push({ path: ['textBack', 'afterHoursTemplate'], message: 'an after-hours template needs a businessHours block to tell the hours' });
    }
  }
  for (const [key, source] of Object.entries(context.templates)) {
    if (typeof source !== 'string') continue;
    for (const problem of templateProblems(source, context)) {
      issues.push({ path: ['templates', key], message: `line ${problem.line}, column ${problem.column}: ${problem.message}` });
    }
  }
  return issues;
}

/** An issue when `key` names no template. */
export function checkTemplateReference(key: string, path: PathSegments, templates: Record<string, unknown>): RawIssue[] {
  if (Object.hasOwn(templates, key)) return [];
  const defined = Object.keys(templates).map((name) => `"${name}"`).join(', ') || 'none';
  return [{ path, message: `template "${key}" is not defined under templates (defined: ${defined})` }];
}

/**
 * validateTemplate's findings, plus the business_hours.* fields where the snapshot can't fill them:
 * they need a v2 snapshot that declares its hours. Also used for inline templates such as a task's title.
 */
export function templateProblems(source: string, context: Omit<TemplateCheckContext, 'templates'>): TemplateIssue[] {
  const problems = validateTemplate(source, { customValueKeys: context.customValueKeys });
  if (context.apiVersion === 'v2' && context.businessHoursDeclared) return problems;
  const needs = context.apiVersion === 'v1' ? 'apiVersion mctb.dev/v2 and a businessHours block' : 'a businessHours block in the snapshot';
  const hours = mergeFieldUses(source)
    .filter((use) => (BUSINESS_HOURS_FIELDS as readonly string[]).includes(use.field))
    .map((use) => ({ message: `${use.field} needs ${needs}`, line: use.line, column: use.column }));
  return [...problems, ...hours].sort((a, b) => a.line - b.line || a.column - b.column);
}
