import { SNAPSHOT_DIFF } from '../documents.js';
import { EXIT_OK } from '../exit-codes.js';
import { plural } from '../format/issues.js';
import type { GraphQLRequest } from '../graphql-client.js';
import type { Io } from '../io.js';
import { payloadOf } from '../results.js';

export interface SnapshotChange {
  section: string;
  path: string;
  kind: 'ADDED' | 'REMOVED' | 'CHANGED' | 'NEWLY_REQUIRED' | string;
  summary: string;
  before?: unknown;
  after?: unknown;
}

interface DiffPayload {
  slug: string;
  from: number;
  to: number;
  changes: SnapshotChange[];
}

const MARKS: Record<string, string> = { ADDED: '+', REMOVED: '-', CHANGED: '~', NEWLY_REQUIRED: '!' };

/** `mctb snapshot diff SLUG FROM TO`: what changed between two versions, by section. */
export async function diffSnapshot(slug: string, from: number, to: number, request: GraphQLRequest, io: Io): Promise<number> {
  const data = await request<{ snapshotDiff: { __typename: string } }>(SNAPSHOT_DIFF, { slug, from, to });
  const diff = payloadOf<DiffPayload>(data.snapshotDiff, 'SnapshotDiff');
  io.out(formatDiff(diff));
  return EXIT_OK;
}

/** Short values are shown as they were and are (" (60 -> 30)"); long ones (a template) only by the summary. */
function valuesOf(change: SnapshotChange): string {
  if (change.kind !== 'CHANGED') return '';
  const before = shortValue(change.before);
  const after = shortValue(change.after);
  return before !== undefined && after !== undefined ? ` (${before} -> ${after})` : '';
}

function shortValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text.length <= 40 ? text : undefined;
}

/** Changes grouped by section in the order the server listed them; `!` marks a newly required value. */
export function formatDiff(diff: DiffPayload): string {
  const title = `${diff.slug} ${diff.from} -> ${diff.to}`;
  if (diff.changes.length === 0) return `${title}: no changes`;
  const lines = [`${title}: ${plural(diff.changes.length, 'change')}`];
  const sections = new Map<string, SnapshotChange[]>();
  for (const change of diff.changes) sections.set(change.section, [...(sections.get(change.section) ?? []), change]);
  for (const [section, changes] of sections) {
    lines.push('', section);
    for (const change of changes) lines.push(`  ${MARKS[change.kind] ?? '?'} ${change.path}: ${change.summary}${valuesOf(change)}`);
  }
  if (diff.changes.some((change) => change.kind === 'NEWLY_REQUIRED')) {
    lines.push('', '! a newly required custom value: every client needs a value for it before the upgrade');
  }
  return lines.join('\n');
}
