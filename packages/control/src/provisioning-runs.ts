import type { EntityManager } from '@mctb/db';
import { Agency, ProvisioningRun, ProvisioningTarget, SubAccount, UniqueConstraintViolationException, type NewSubAccountDetails } from '@mctb/db';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { createHash } from 'node:crypto';
import { versionToApply } from './apply-version.js';
import { unmetPluginRequirements } from './plugin-catalog.js';
import { resolveSnapshotRef, type SnapshotRef } from './snapshot-catalog.js';
import { forbidden, invalid, ok, type FieldIssue, type Result } from './result.js';
import { isUuid, type Scope } from './scope.js';

/** Most targets one request may name; a bigger push is split into several requests. */
export const MAX_PROVISIONING_TARGETS = 10_000;
export const DEFAULT_PROVISIONING_CONCURRENCY = 8;
export const MAX_PROVISIONING_CONCURRENCY = 32;

/** One sub-account of a provisioning request: an existing one by id, or one to create from details. */
export interface ProvisioningTargetRequest {
  subAccountId?: string | null;
  newSubAccount?: NewSubAccountDetails | null;
  /** This client's values; on an upgrade its current values fill the keys not given. */
  customValues?: Record<string, string>;
}

export interface ProvisioningRequest {
  /** Chosen by the caller: the same key finds the same run, so a retried submission changes nothing. */
  idempotencyKey: string;
  snapshot: SnapshotRef;
  targets: ProvisioningTargetRequest[];
  concurrency?: number | null;
}

/** Starts the Temporal workflow that works through a run (idempotent per run id). */
export interface ProvisioningStarter {
  start(run: { id: string; total: number; concurrency: number }): Promise<void>;
}

/**
 * Records a provisioning request as a run with one row per target, then starts its workflow. The
 * idempotency key is unique per agency: the same request again returns the run it started (and
 * starts its workflow if a crash lost the start); the same key with other content is refused.
 */
export async function requestProvisioning(
  em: EntityManager,
  scope: Scope & { keyId?: string },
  starter: ProvisioningStarter | undefined,
  builtins: PluginRegistry,
  request: ProvisioningRequest,
): Promise<Result<{ run: ProvisioningRun; created: boolean }>> {
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot provision snapshots; the agency decides what runs in its sub-accounts');
  if (!starter) return invalid([{ path: '', message: 'provisioning runs need the Temporal cluster the workers use: start the control plane with TEMPORAL_ADDRESS' }]);
  const issues = requestIssues(request);
  if (issues.length > 0) return invalid(issues);
  const version = await resolveSnapshotRef(em, scope, request.snapshot);
  if (!version.ok) return invalid([{ path: 'snapshot', message: version.ok === false && version.kind === 'not_found' ? version.message : 'not found' }]);
  const unmet = await unmetPluginRequirements(em, scope.agencyId, builtins, versionToApply(version.value));
  if (unmet.length > 0) return invalid(unmet);

  const targets = request.targets.map(normalizedTarget);
  const digest = createHash('sha256').update(JSON.stringify({ version: version.value.id, targets })).digest('hex');
  const existing = await em.findOne(ProvisioningRun, { agency: scope.agencyId, idempotencyKey: request.idempotencyKey }, { populate: ['snapshotVersion', 'snapshotVersion.snapshot'] });
  if (existing) return resumed(existing, digest, starter);

  const run = new ProvisioningRun({
    agency: em.getReference(Agency, scope.agencyId),
    idempotencyKey: request.idempotencyKey,
    requestDigest: digest,
    snapshotVersion: version.value,
    concurrency: request.concurrency ?? DEFAULT_PROVISIONING_CONCURRENCY,
    total: targets.length,
    requestedBy: scope.keyId ?? null,
  });
  const named = targets.flatMap((target) => (target.subAccountId ? [target.subAccountId] : []));
  const known = new Set(named.length === 0 ? [] : (await em.find(SubAccount, { id: { $in: named }, agency: scope.agencyId }, { fields: ['id'] })).map((sub) => sub.id));
  try {
    await em.transactional(async (tx) => {
      tx.persist(run);
      targets.forEach((target, index) => {
        const row = new ProvisioningTarget({
          run,
          index,
          label: target.subAccountId ?? `${target.newSubAccount?.name ?? ''} (${target.newSubAccount?.twilioNumber ?? ''})`,
          subAccount: target.subAccountId && known.has(target.subAccountId) ? tx.getReference(SubAccount, target.subAccountId) : null,
          newSubAccount: target.newSubAccount,
          customValues: target.customValues,
        });
        if (target.subAccountId && !known.has(target.subAccountId)) {
          // Reported like one that doesn't exist, another agency's included; the other targets go on.
          row.status = 'failed';
          row.reason = `subAccountId: sub-account ${target.subAccountId} not found`;
          row.issues = [{ path: 'subAccountId', message: `sub-account ${target.subAccountId} not found` }];
          row.finishedAt = new Date();
        }
        tx.persist(row);
      });
    });
  } catch (error) {
    // The same request submitted twice at once: the first one's run is the run.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    em.clear();
    const winner = await em.findOneOrFail(ProvisioningRun, { agency: scope.agencyId, idempotencyKey: request.idempotencyKey }, { populate: ['snapshotVersion', 'snapshotVersion.snapshot'] });
    return resumed(winner, digest, starter);
  }
  return started(run, true, starter);
}

async function resumed(run: ProvisioningRun, digest: string, starter: ProvisioningStarter): Promise<Result<{ run: ProvisioningRun; created: boolean }>> {
  if (run.requestDigest !== digest) {
    return invalid([{ path: 'idempotencyKey', message: `"${run.idempotencyKey}" was already used for a different request (run ${run.id}); use a new key for new content` }]);
  }
  return run.status === 'completed' ? ok({ run, created: false }) : started(run, false, starter);
}

/** Starts (or finds) the run's workflow; when Temporal doesn't take it, the same request again will. */
async function started(run: ProvisioningRun, created: boolean, starter: ProvisioningStarter): Promise<Result<{ run: ProvisioningRun; created: boolean }>> {
  try {
    await starter.start(run);
  } catch (error) {
    const why = error instanceof Error ? error.message.slice(0, 200) : String(error);
    return invalid([{ path: '', message: `run ${run.id} is recorded but its workflow could not be started (${why}); submit the same request (same idempotency key) again to start it` }]);
  }
  return ok({ run, created });
}

interface NormalizedTarget {
  subAccountId: string | null;
  newSubAccount: NewSubAccountDetails | null;
  customValues: Record<string, string>;
}

function normalizedTarget(target: ProvisioningTargetRequest): NormalizedTarget {
  const values = target.customValues ?? {};
  // Sorted keys: the digest must not depend on the order a CSV's columns came in.
  const customValues = Object.fromEntries(Object.keys(values).sort().map((key) => [key, values[key] ?? '']));
  return { subAccountId: target.subAccountId ?? null, newSubAccount: target.newSubAccount ?? null, customValues };
}

/** Problems with the request as a whole; a target's own problems (a missing value, a taken number) fail only that target. */
function requestIssues(request: ProvisioningRequest): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const key = request.idempotencyKey;
  if (key.trim() === '' || key.length > 200 || [...key].some((char) => char.charCodeAt(0) < 0x20)) {
    issues.push({ path: 'idempotencyKey', message: 'must be 1 to 200 printable characters, e.g. a UUID or "spring-push-2026-03"' });
  }
  const concurrency = request.concurrency ?? DEFAULT_PROVISIONING_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_PROVISIONING_CONCURRENCY) {
    issues.push({ path: 'concurrency', message: `must be a whole number from 1 to ${MAX_PROVISIONING_CONCURRENCY}` });
  }
  if (request.targets.length === 0) issues.push({ path: 'targets', message: 'name at least one target' });
  if (request.targets.length > MAX_PROVISIONING_TARGETS) issues.push({ path: 'targets', message: `at most ${MAX_PROVISIONING_TARGETS} targets per request; split the push` });
  const seen = new Map<string, number>();
  request.targets.forEach((target, index) => {
    const path = `targets[${index}]`;
    const hasId = target.subAccountId !== undefined && target.subAccountId !== null;
    const hasNew = target.newSubAccount !== undefined && target.newSubAccount !== null;
    if (hasId === hasNew) issues.push({ path, message: 'give either subAccountId (an existing sub-account) or newSubAccount (one to create), not both' });
    if (hasId && !isUuid(target.subAccountId ?? '')) issues.push({ path: `${path}.subAccountId`, message: `"${String(target.subAccountId).slice(0, 64)}" is not a sub-account id` });
    const identity = hasId ? `id:${target.subAccountId?.toLowerCase()}` : hasNew ? `number:${target.newSubAccount?.twilioNumber.replace(/[^\d+]/g, '')}` : null;
    if (identity !== null) {
      const first = seen.get(identity);
      if (first !== undefined) issues.push({ path, message: `names the same sub-account as targets[${first}]` });
      else seen.set(identity, index);
    }
  });
  return issues;
}
