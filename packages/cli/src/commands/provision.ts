import { setTimeout as sleep } from 'node:timers/promises';
import {
  PREVIEW_PROVISIONING,
  PROVISIONING_PROGRESS,
  PROVISIONING_PROGRESS_EVENTS,
  PROVISIONING_TARGETS,
  SNAPSHOT_LATEST_VERSION,
  START_PROVISIONING,
} from '../documents.js';
import { CliError, EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { plural } from '../format/issues.js';
import { renderTable } from '../format/table.js';
import type { GraphQLRequest } from '../graphql-client.js';
import type { GraphQLSubscribe } from '../graphql-subscriptions.js';
import { defaultIdempotencyKey } from '../idempotency-key.js';
import type { Io } from '../io.js';
import { describeCounts, progressView, type RunCounts } from '../progress.js';
import { readInputFile } from '../read-input-file.js';
import { payloadOf, ValidationFailure, type FieldIssue } from '../results.js';
import { parseSnapshotRef } from '../snapshot-ref.js';
import { parseTargetsCsv, type CsvTarget } from '../targets-csv.js';

export interface ProvisionOptions {
  snapshot: string;
  targets: string;
  idempotencyKey?: string;
  preview?: boolean;
  concurrency?: number;
  /** How often progress is read while the run goes on. */
  pollIntervalMs?: number;
}

interface Run extends RunCounts {
  id: string;
  idempotencyKey: string;
  status: 'RUNNING' | 'COMPLETED' | string;
  pending: number;
  createdAt: string;
  completedAt: string | null;
  snapshotVersion: { slug: string; version: number };
}

interface RunTarget {
  index: number;
  label: string;
  status: string;
  reason: string | null;
  subAccount: { id: string; name: string } | null;
  conflicts: { path: string; message: string }[];
  issues: { path: string; message: string }[];
}

const TARGET_PAGE = 100;

/**
 * `mctb provision --snapshot slug[@version] --targets clients.csv`: starts a provisioning run (or
 * finds the one this same command started before), follows it with a progress bar, then prints a
 * table of every target's result. Exit 1 when a target failed.
 */
export async function provision(options: ProvisionOptions, request: GraphQLRequest, subscribe: GraphQLSubscribe, io: Io): Promise<number> {
  const ref = parseSnapshotRef(options.snapshot);
  const csvText = await readInputFile(options.targets);
  const targets = parseTargetsCsv(csvText, options.targets);
  const version = ref.version ?? (await latestVersion(ref.slug, request));
  const snapshot = { slug: ref.slug, version };
  try {
    if (options.preview) return await preview(snapshot, targets, request, io);
    const idempotencyKey = options.idempotencyKey ?? defaultIdempotencyKey(ref.slug, version, csvText);
    io.err(`snapshot ${ref.slug}@${version}, ${plural(targets.length, 'target')}, idempotency key ${idempotencyKey}`);
    const input = {
      idempotencyKey,
      snapshot,
      targets: targets.map((target) => target.input),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    };
    const data = await request<{ startProvisioning: { __typename: string } }>(START_PROVISIONING, { input });
    const { created, run } = payloadOf<{ created: boolean; run: Run }>(data.startProvisioning, 'StartProvisioningPayload');
    io.err(created ? `started run ${run.id}` : `run ${run.id} was already started with this key at ${run.createdAt}: showing it (nothing new is applied)`);
    const finished = await follow(run, { request, subscribe }, io, options.pollIntervalMs ?? 500).catch((error: unknown) => {
      // The run is the server's: losing sight of it changes nothing there, and the same command finds it again.
      if (error instanceof CliError) error.message += `\nthe run goes on at the server: run the same command again to follow it (idempotency key ${idempotencyKey})`;
      throw error;
    });
    const results = await allTargets(finished.id, request);
    io.out(resultTable(results, targets));
    io.out(`${finished.snapshotVersion.slug}@${finished.snapshotVersion.version}: ${describeCounts(finished)}`);
    return finished.failed > 0 ? EXIT_FAILED : EXIT_OK;
  } catch (error) {
    if (!(error instanceof ValidationFailure)) throw error;
    for (const issue of error.issues) io.err(targetIssue(options.targets, targets, issue));
    io.err(`refused: ${plural(error.issues.length, 'problem')}`);
    return EXIT_FAILED;
  }
}

async function latestVersion(slug: string, request: GraphQLRequest): Promise<number> {
  const data = await request<{ snapshot: { latestVersion: { version: number } | null } | null }>(SNAPSHOT_LATEST_VERSION, { slug });
  const version = data.snapshot?.latestVersion?.version;
  if (version === undefined) throw new CliError(`no snapshot "${slug}" in this agency: push it first (mctb snapshot push FILE)`, EXIT_FAILED);
  return version;
}

/** Reads of progress that may fail in a row (a restarting control plane) before the CLI gives up. */
const MAX_FAILED_READS = 10;

/**
 * Follows the run until it completes: the provisioningProgress subscription (server-sent events) as
 * long as it lasts, then reading the run every `intervalMs` (a server or proxy without event streams,
 * or a stream that broke off).
 */
async function follow(run: Run, server: { request: GraphQLRequest; subscribe: GraphQLSubscribe }, io: Io, intervalMs: number): Promise<Run> {
  const view = progressView(io);
  let current = run;
  let failedReads = 0;
  try {
    view.update(current);
    try {
      for await (const event of server.subscribe<{ provisioningProgress: Run }>(PROVISIONING_PROGRESS_EVENTS, { id: run.id })) {
        current = event.provisioningProgress;
        view.update(current);
        if (current.status === 'COMPLETED') break;
      }
    } catch {
      // Polling below picks up where the stream stopped.
    }
    while (current.status !== 'COMPLETED') {
      await sleep(intervalMs);
      let data: { provisioningRun: Run | null };
      try {
        data = await server.request<{ provisioningRun: Run | null }>(PROVISIONING_PROGRESS, { id: run.id });
      } catch (error) {
        if (++failedReads >= MAX_FAILED_READS) throw error;
        continue;
      }
      failedReads = 0;
      if (!data.provisioningRun) throw new CliError(`run ${run.id} is no longer there`, EXIT_FAILED);
      current = data.provisioningRun;
      view.update(current);
    }
  } finally {
    view.stop();
  }
  return current;
}

async function allTargets(id: string, request: GraphQLRequest): Promise<RunTarget[]> {
  const targets: RunTarget[] = [];
  for (let after: number | undefined; ; ) {
    const data = await request<{ provisioningRun: { targets: RunTarget[] } | null }>(PROVISIONING_TARGETS, { id, first: TARGET_PAGE, after });
    const page = data.provisioningRun?.targets ?? [];
    targets.push(...page);
    if (page.length < TARGET_PAGE) return targets;
    after = page.at(-1)!.index;
  }
}

/** One row per target: its CSV line, what it is, the sub-account it ended up as, and why it failed (or what it kept). */
export function resultTable(results: RunTarget[], csv: CsvTarget[]): string {
  return renderTable(
    ['line', 'target', 'sub-account', 'status', 'reason'],
    results.map((target) => [
      csv[target.index]?.line,
      target.label,
      target.subAccount ? `${target.subAccount.name}\n${target.subAccount.id}` : null,
      target.status.toLowerCase(),
      reasonOf(target),
    ]),
    { wrapColumn: 4 },
  );
}

/** The reason, then each issue not already in it, then the local edits kept (conflicts). */
function reasonOf(target: RunTarget): string {
  const parts = target.reason ? [target.reason] : [];
  for (const issue of target.issues) {
    const text = issue.path ? `${issue.path}: ${issue.message}` : issue.message;
    if (!parts.some((part) => part.includes(text))) parts.push(text);
  }
  for (const conflict of target.conflicts) parts.push(`kept local edit ${conflict.path}: ${conflict.message}`);
  return parts.join('; ');
}

const CHANGE_MARKS: Record<string, string> = { ADDED: '+', REMOVED: '-', CHANGED: '~', NEWLY_REQUIRED: '!' };

interface PreviewTarget {
  index: number;
  label: string;
  action: string;
  fromSlug: string | null;
  fromVersion: number | null;
  subAccountId: string | null;
  subAccountName: string | null;
  changes: { section: string; path: string; kind: string; summary: string }[];
  conflicts: { path: string; message: string }[];
  issues: { path: string; message: string }[];
}

async function preview(snapshot: { slug: string; version: number }, targets: CsvTarget[], request: GraphQLRequest, io: Io): Promise<number> {
  const input = { snapshot, targets: targets.map((target) => target.input) };
  const data = await request<{ previewProvisioning: { __typename: string } }>(PREVIEW_PROVISIONING, { input });
  const result = payloadOf<{ targets: PreviewTarget[] }>(data.previewProvisioning, 'ProvisioningPreview');
  io.out(
    renderTable(
      ['line', 'target', 'sub-account', 'action', 'from', 'changes', 'problems'],
      result.targets.map((target) => [
        targets[target.index]?.line,
        target.label,
        target.subAccountId ? `${target.subAccountName ?? ''}\n${target.subAccountId}`.trim() : null,
        target.action.toLowerCase().replace('_', ' '),
        target.fromVersion === null ? null : `${target.fromSlug ?? snapshot.slug}@${target.fromVersion}`,
        target.changes.map((change) => `${CHANGE_MARKS[change.kind] ?? '?'} ${change.path}`).join('\n'),
        [...target.conflicts, ...target.issues].map((problem) => `${problem.path}: ${problem.message}`).join('\n'),
      ]),
      { wrapColumn: 6 },
    ),
  );
  const blocked = result.targets.filter((target) => target.issues.length > 0 || target.conflicts.length > 0).length;
  io.out(`preview of ${snapshot.slug}@${snapshot.version}: ${plural(result.targets.length, 'target')}, ${blocked} with problems; nothing was changed`);
  return blocked > 0 ? EXIT_FAILED : EXIT_OK;
}

/** The server names targets by index (`targets[2].newSubAccount.twilioNumber`): say which CSV line that is. */
export function targetIssue(file: string, csv: CsvTarget[], issue: FieldIssue): string {
  const match = /^targets\[(\d+)\]\.?(.*)$/.exec(issue.path);
  const target = match ? csv[Number(match[1])] : undefined;
  if (!match || !target) return `${file}: ${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
  const field = match[2]!.replace(/^newSubAccount\./, '').replace(/^customValues\./, '');
  return `${file}:${target.line}${field === '' ? '' : ` ${field}`}: ${issue.message}`;
}
