import type { EntityManager } from '@mctb/db';
import { isOutage, LockMode, PhoneNumber, ProvisioningRun, ProvisioningTarget, SubAccount, type NewSubAccountDetails, type TargetIssue } from '@mctb/db';
import { parsePhone } from '@mctb/domain';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { applyVersion, versionToApply, type VersionToApply } from './apply-version.js';
import type { NumberClaims } from './provider-accounts.js';
import type { ProviderNumberResult } from './provider-numbers.js';
import { invalid, ok, type Failure, type Result } from './result.js';
import { isUuid } from './scope.js';
import { createSubAccount } from './sub-accounts.js';

export interface ProvisioningDeps {
  plugins: PluginRegistry;
  /** Whether the agency's Twilio account holds a new sub-account's number. */
  claims: NumberClaims;
  /** Points a number at the gateway at the provider; null leaves numbers as they are (no provider configured). */
  configureNumber: ((em: EntityManager, e164: string) => Promise<ProviderNumberResult>) | null;
}

export type TargetOutcome = 'applied' | 'unchanged' | 'failed' | 'already_done';

/** What every target of a run shares, read once for a slice of them. */
export interface RunToApply {
  id: string;
  agencyId: string;
  requestedBy: string | null;
  version: VersionToApply;
}

export async function runToApply(em: EntityManager, runId: string): Promise<RunToApply> {
  const run = await em.findOneOrFail(ProvisioningRun, runId, { populate: ['snapshotVersion', 'snapshotVersion.snapshot'] });
  return { id: run.id, agencyId: run.agency.id, requestedBy: run.requestedBy, version: versionToApply(run.snapshotVersion) };
}

/** A target that can't be applied as asked: recorded as failed, with the rest of its run going on. */
class TargetFailure extends Error {
  constructor(readonly issues: TargetIssue[]) {
    super(issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; '));
  }
}

/**
 * Applies one target of a provisioning run, once: its row is locked and its result written in the
 * same transaction as the change, so a retried or re-run activity finds it done and skips it. A
 * problem with the target (a missing value, a number the agency doesn't hold) fails only it, with
 * the reason; an outage throws, so the activity retries.
 */
export async function applyProvisioningTarget(em: EntityManager, deps: ProvisioningDeps, run: RunToApply, index: number): Promise<TargetOutcome> {
  const runId = run.id;
  try {
    return await em.transactional(async (tx) => {
      const target = await tx.findOne(ProvisioningTarget, { run: runId, index }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!target) throw new Error(`provisioning run ${runId} has no target ${index}`);
      if (target.status !== 'pending') return 'already_done';
      const subAccount = await targetSubAccount(tx, deps, run.agencyId, target);
      await configureNumbers(tx, deps, subAccount);
      const applied = await applyVersion(tx, deps.plugins, {
        subAccount,
        version: run.version,
        customValues: target.customValues,
        appliedBy: run.requestedBy,
        runId,
      });
      if (!applied.ok) throw new TargetFailure(issuesOf(applied));
      target.subAccount = subAccount;
      target.status = applied.value.changed ? 'applied' : 'unchanged';
      target.conflicts = applied.value.conflicts;
      target.finishedAt = new Date();
      await tx.flush();
      return target.status;
    });
  } catch (error) {
    const failure = error instanceof TargetFailure ? error : unexpected(error);
    if (!failure) throw error;
    em.clear();
    await em.nativeUpdate(
      ProvisioningTarget,
      { run: runId, index, status: 'pending' },
      { status: 'failed', reason: failure.message, issues: failure.issues, finishedAt: new Date() },
    );
    return 'failed';
  }
}

/**
 * The sub-account a target names, or the one it describes: created, or found when this agency
 * already holds its number (so re-running a push that created sub-accounts finds them).
 */
export async function resolveTargetSubAccount(
  em: EntityManager,
  claims: NumberClaims,
  agencyId: string,
  target: { subAccountId: string | null; newSubAccount: NewSubAccountDetails | null },
): Promise<Result<{ subAccount: SubAccount; created: boolean }>> {
  const details = target.newSubAccount;
  if (details === null) {
    const found = target.subAccountId && isUuid(target.subAccountId) ? await em.findOne(SubAccount, { id: target.subAccountId, agency: agencyId }) : null;
    return found ? ok({ subAccount: found, created: false }) : invalid([{ path: 'subAccountId', message: `sub-account ${target.subAccountId ?? ''} not found` }]);
  }
  const number = parsePhone(details.twilioNumber);
  if (number.ok) {
    const held = await em.findOne(PhoneNumber, { e164: number.e164 }, { populate: ['subAccount'] });
    if (held && held.subAccount.agency.id === agencyId) return ok({ subAccount: held.subAccount, created: false });
  }
  const created = await createSubAccount(em, { agencyId, subAccountId: null }, details, claims);
  if (!created.ok) return created.kind === 'invalid' ? invalid(created.issues.map((issue) => ({ path: `newSubAccount.${issue.path}`, message: issue.message }))) : created;
  return ok({ subAccount: created.value.subAccount, created: true });
}

async function targetSubAccount(em: EntityManager, deps: ProvisioningDeps, agencyId: string, target: ProvisioningTarget): Promise<SubAccount> {
  const resolved = await resolveTargetSubAccount(em, deps.claims, agencyId, {
    // Named sub-accounts were looked up when the run was recorded (an unknown one failed then).
    subAccountId: target.subAccount?.id ?? (target.newSubAccount ? null : target.label),
    newSubAccount: target.newSubAccount,
  });
  if (!resolved.ok) throw new TargetFailure(issuesOf(resolved));
  return resolved.value.subAccount;
}

/** A failure's issues, a plain message as one issue for the whole target. */
export function issuesOf(failure: Failure): TargetIssue[] {
  return failure.kind === 'invalid' ? failure.issues : [{ path: '', message: failure.message }];
}

/** Every number of the sub-account calls the gateway at the provider, or the target fails saying why. */
async function configureNumbers(em: EntityManager, deps: ProvisioningDeps, subAccount: SubAccount): Promise<void> {
  if (!deps.configureNumber) return;
  const numbers = await em.find(PhoneNumber, { subAccount }, { orderBy: { e164: 'asc' } });
  const problems: TargetIssue[] = [];
  for (const number of numbers) {
    const result = await deps.configureNumber(em, number.e164);
    if (result.status === 'mismatch') problems.push(...result.problems.map((message) => ({ path: `numbers.${number.e164}`, message })));
  }
  if (problems.length > 0) throw new TargetFailure(problems);
}

/**
 * An error no retry will cure (a bug, a constraint the data breaks) fails the target with what it
 * said; an outage (connection refused or lost, the database restarting, a deadlock) returns null
 * so it is thrown and retried.
 */
function unexpected(error: unknown): TargetFailure | null {
  if (isOutage(error)) return null;
  const message = error instanceof Error ? error.message : String(error);
  return new TargetFailure([{ path: '', message: `unexpected error: ${message.slice(0, 500)}` }]);
}

/** Marks a run completed once every target is; the workflow calls it last. */
export async function finishProvisioningRun(em: EntityManager, runId: string): Promise<void> {
  await em.nativeUpdate(ProvisioningRun, { id: runId, status: 'running' }, { status: 'completed', completedAt: new Date() });
}
