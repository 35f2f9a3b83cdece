import { NUL_MESSAGE, nulPaths } from '@mctb/domain';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type * as z from 'zod';
import { crossCheckSnapshot, snapshotWarnings } from './cross-checks.js';
import { formatPath, type RawIssue } from './issue-path.js';
import { snapshotSchema, SNAPSHOT_API_VERSION_V2 } from './schema.js';
import { snapshotSchemaV2 } from './schema-v2.js';
import { locatePath } from './source-positions.js';
import { definitionFromV1, definitionFromV2 } from './to-definition.js';
import type { SnapshotDefinition, SnapshotIssue, SnapshotPluginLookup } from './types.js';

/** Snapshots are a few kilobytes; the limit keeps a hostile upload from costing real parse time. */
export const MAX_SNAPSHOT_BYTES = 256 * 1024;
/** Aliases can multiply a small file into a huge object; real snapshots need none or a few. */
const MAX_YAML_ALIASES = 50;

/** `warnings` name what provisioning will refuse until it changes (a required plugin not published yet). */
export type ParseSnapshotResult = { ok: true; snapshot: SnapshotDefinition; warnings: SnapshotIssue[] } | { ok: false; issues: SnapshotIssue[] };

export interface ParseSnapshotOptions {
  plugins: SnapshotPluginLookup;
}

/**
 * Validates a whole snapshot document (v1 or v2) and lists every problem with its path and YAML
 * position: schema, duplicate keys, template syntax and merge fields, template references, plugins,
 * and a v2 file's workflows (workflow-checks.ts). Both versions give the same definition shape.
 * When the YAML itself is broken only the YAML errors are listed, since the rest would be guesswork.
 */
export function parseSnapshot(yamlText: string, options: ParseSnapshotOptions): ParseSnapshotResult {
  // Every UTF-16 unit takes at least one UTF-8 byte, so the length check spares encoding huge inputs.
  if (yamlText.length > MAX_SNAPSHOT_BYTES || new TextEncoder().encode(yamlText).length > MAX_SNAPSHOT_BYTES) {
    return fail([{ path: '', message: `snapshot is larger than ${MAX_SNAPSHOT_BYTES / 1024} KiB` }]);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return fail(document.errors.map((error) => yamlSyntaxIssue(error, lineCounter)));
  }
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    return fail([{ path: '', message: `cannot read the YAML: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  const parsed = isV2(raw)
    ? snapshotSchemaV2.safeParse(raw, { reportInput: true })
    : snapshotSchema.safeParse(raw, { reportInput: true });
  const rawIssues = [
    // YAML's "\0" escape makes a NUL PostgreSQL can't store: refuse it where it is.
    ...nulPaths(raw).map((path) => ({ path, message: NUL_MESSAGE })),
    ...(parsed.success ? [] : parsed.error.issues.flatMap(schemaIssues)),
    ...crossCheckSnapshot(raw, options.plugins),
  ];
  if (parsed.success && rawIssues.length === 0) {
    const data = parsed.data;
    const warnings = snapshotWarnings(raw, options.plugins).map((issue) => ({ path: formatPath(issue.path), message: issue.message, ...locatePath(document, lineCounter, issue.path) }));
    return { ok: true, snapshot: data.apiVersion === SNAPSHOT_API_VERSION_V2 ? definitionFromV2(data) : definitionFromV1(data), warnings };
  }
  const issues = rawIssues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
    ...locatePath(document, lineCounter, issue.path),
  }));
  // Source order reads best; sort is stable, so issues at one place keep the order they were found in.
  return fail(issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)));
}

function fail(issues: SnapshotIssue[]): ParseSnapshotResult {
  return { ok: false, issues };
}

function yamlSyntaxIssue(error: YAMLError, lineCounter: LineCounter): SnapshotIssue {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  const message =
    error.code === 'MULTIPLE_DOCS' ? 'a snapshot file holds exactly one YAML document (remove the "---")' : error.message;
  return { path: '', message: `YAML syntax error: ${message}`, line, column: col };
}

function schemaIssues(issue: z.core.$ZodIssue): RawIssue[] {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key "${key}"` }));
  }
  if (path.length === 0 && issue.code === 'invalid_type') {
    return [{ path, message: 'a snapshot must be a YAML mapping with apiVersion, kind, metadata and its automations' }];
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path, message: 'is required' }];
  }
  return [{ path, message: issue.message }];
}

/** v2 when it says so; anything else is read as v1, whose schema names both versions when wrong. */
function isV2(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { apiVersion?: unknown }).apiVersion === SNAPSHOT_API_VERSION_V2;
}
