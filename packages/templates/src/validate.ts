import type { Variable } from 'liquidjs';
import { MAX_TEMPLATE_SOURCE_LENGTH, parseCached, liquid } from './engine.js';
import { liquidErrorPosition, liquidErrorReason } from './liquid-errors.js';
import { MERGE_FIELDS } from './merge-fields.js';

/** A problem in a template, at a 1-based position in the template source. */
export interface TemplateIssue {
  message: string;
  line: number;
  column: number;
}

export interface ValidateTemplateOptions {
  /** Custom value keys the template may use as `custom_values.<key>` (those the snapshot declares). */
  customValueKeys: readonly string[];
}

const KNOWN_FIELDS: ReadonlySet<string> = new Set(MERGE_FIELDS);
/** Liquid's built-in `size` is harmless on any field, e.g. `{% if contact.first_name.size > 0 %}`. */
const HARMLESS_TRAILING_PROPERTY = 'size';

/**
 * Checks a template before it is saved: syntax (the first error only, since Liquid stops there),
 * file-loading tags, unknown filters, and every merge field that is neither known nor assigned by
 * the template itself. Returns an empty array when the template is fine.
 */
export function validateTemplate(source: string, options: ValidateTemplateOptions): TemplateIssue[] {
  if (source.length > MAX_TEMPLATE_SOURCE_LENGTH) {
    return [
      {
        message: `template is ${source.length} characters long; the limit is ${MAX_TEMPLATE_SOURCE_LENGTH}`,
        line: 1,
        column: 1,
      },
    ];
  }
  let templates;
  try {
    templates = parseCached(source);
  } catch (error) {
    const position = liquidErrorPosition(error) ?? { line: 1, column: 1 };
    return [{ message: liquidErrorReason(error), ...position }];
  }
  // Globals are the variables the template reads without assigning, capturing or looping over them.
  const { globals } = liquid.analyzeSync(templates, { partials: false });
  const customValueKeys = new Set(options.customValueKeys);
  const issues: TemplateIssue[] = [];
  for (const variables of Object.values(globals)) {
    for (const variable of variables) {
      const message = mergeFieldProblem(variable, customValueKeys);
      if (message) issues.push({ message, line: variable.location.row, column: variable.location.col });
    }
  }
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** A `root.field` a template reads, at a 1-based position in its source. */
export interface MergeFieldUse {
  field: string;
  line: number;
  column: number;
}

/**
 * The merge fields (`call.outcome`, `contact['phone']`) a template reads without assigning them
 * itself, as Liquid's own analyzer sees them, so a snapshot can tell which ones a workflow's trigger
 * cannot supply. A template that does not parse reads nothing (validateTemplate reports it).
 */
export function mergeFieldUses(source: string): MergeFieldUse[] {
  if (source.length > MAX_TEMPLATE_SOURCE_LENGTH) return [];
  let templates;
  try {
    templates = parseCached(source);
  } catch {
    return [];
  }
  const { globals } = liquid.analyzeSync(templates, { partials: false });
  const uses: MergeFieldUse[] = [];
  for (const variables of Object.values(globals)) {
    for (const variable of variables) {
      const [root, field] = variable.segments;
      if (typeof root === 'string' && typeof field === 'string') {
        uses.push({ field: `${root}.${field}`, line: variable.location.row, column: variable.location.col });
      }
    }
  }
  return uses.sort((a, b) => a.line - b.line || a.column - b.column);
}

function mergeFieldProblem(variable: Variable, customValueKeys: ReadonlySet<string>): string | undefined {
  const segments = [...variable.segments];
  // Computed names like contact[key] cannot be checked, so they are unknown by definition.
  const names = segments.every((segment) => typeof segment === 'string') ? (segments as string[]) : undefined;
  if (names && names.length > 2 && names.at(-1) === HARMLESS_TRAILING_PROPERTY) names.pop();
  if (names?.length === 2) {
    const [root, field] = names as [string, string];
    if (root === 'custom_values') {
      return customValueKeys.has(field) ? undefined : `custom value "${field}" is not declared by the snapshot`;
    }
    if (KNOWN_FIELDS.has(`${root}.${field}`)) return undefined;
  }
  return `unknown merge field "${variable.toString()}"`;
}
