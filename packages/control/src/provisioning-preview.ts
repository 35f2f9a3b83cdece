import type { EntityManager } from '@mctb/db';
import { Provisioning } from '@mctb/db';
import { currentDefinition, diffSnapshots, type LocalEditConflict, type SnapshotChange } from '@mctb/snapshots';
import { applyVersion, versionToApply } from './apply-version.js';
import { unmetPluginRequirements } from './plugin-catalog.js';
import type { ProvisioningRequest } from './provisioning-runs.js';
import { issuesOf, resolveTargetSubAccount, type ProvisioningDeps } from './provisioning-targets.js';
import { forbidden, invalid, ok, type FieldIssue, type Result } from './result.js';
import { resolveSnapshotRef } from './snapshot-catalog.js';
import type { Scope } from './scope.js';

export type PreviewAction = 'create' | 'install' | 'upgrade' | 'downgrade' | 'switch' | 'update_values' | 'unchanged' | 'fail';

/** What provisioning would do to one target, found by doing it in a transaction that is rolled back. */
export interface TargetPreview {
  index: number;
  label: string;
  subAccountId: string | null;
  subAccountName: string | null;
  action: PreviewAction;
  /** What the sub-account runs now, e.g. "missed-call-text-back v2"; null when nothing yet. */
  from: { slug: string; version: number } | null;
  /** The snapshot changes it would get (none for a first install: it gets everything). */
  changes: SnapshotChange[];
  /** Its local edits that the newer version also changes: they would be kept. */
  conflicts: LocalEditConflict[];
  /** Why it would fail. */
  issues: FieldIssue[];
}

class RollBack extends Error {}

/**
 * Shows, per target, what a provisioning request would do, before anything changes: each target is
 * applied in its own transaction (the same code a run uses, except for the provider's number
 * settings) and rolled back.
 */
export async function previewProvisioning(
  em: EntityManager,
  scope: Scope,
  deps: Pick<ProvisioningDeps, 'plugins' | 'claims'>,
  request: Omit<ProvisioningRequest, 'idempotencyKey' | 'concurrency'>,
): Promise<Result<TargetPreview[]>> {
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot provision snapshots');
  if (request.targets.length === 0) return invalid([{ path: 'targets', message: 'name at least one target' }]);
  const version = await resolveSnapshotRef(em, scope, request.snapshot);
  if (!version.ok) return invalid([{ path: 'snapshot', message: version.kind === 'not_found' ? version.message : 'not found' }]);

  const toApply = versionToApply(version.value);
  const unmet = await unmetPluginRequirements(em, scope.agencyId, deps.plugins, toApply);
  if (unmet.length > 0) return invalid(unmet);
  const previews: TargetPreview[] = [];
  for (const [index, target] of request.targets.entries()) {
    const label = target.subAccountId ?? `${target.newSubAccount?.name ?? ''} (${target.newSubAccount?.twilioNumber ?? ''})`;
    const preview: TargetPreview = { index, label, subAccountId: null, subAccountName: null, action: 'fail', from: null, changes: [], conflicts: [], issues: [] };
    try {
      await em.fork().transactional(async (tx) => {
        const resolved = await resolveTargetSubAccount(tx, deps.claims, scope.agencyId, { subAccountId: target.subAccountId ?? null, newSubAccount: target.newSubAccount ?? null });
        if (!resolved.ok) {
          preview.issues = issuesOf(resolved);
          throw new RollBack();
        }
        const { subAccount, created } = resolved.value;
        if (!created) Object.assign(preview, { subAccountId: subAccount.id, subAccountName: subAccount.name });
        else preview.subAccountName = subAccount.name;
        const current = await tx.findOne(Provisioning, { subAccount }, { populate: ['snapshotVersion', 'snapshotVersion.snapshot'] });
        const before = current?.snapshotVersion ?? null;
        preview.from = before ? { slug: before.snapshot.slug, version: before.version } : null;
        const applied = await applyVersion(tx, deps.plugins, { subAccount, version: toApply, customValues: target.customValues ?? {}, appliedBy: null, runId: null });
        if (!applied.ok) {
          preview.issues = issuesOf(applied);
          throw new RollBack();
        }
        preview.conflicts = applied.value.conflicts;
        preview.changes = before && before.id !== version.value.id ? diffSnapshots(currentDefinition(before.definition), toApply.definition) : [];
        preview.action = actionOf(created, before, version.value, applied.value.changed);
        throw new RollBack();
      });
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
    }
    previews.push(preview);
  }
  return ok(previews);
}

function actionOf(created: boolean, before: Provisioning['snapshotVersion'] | null, after: Provisioning['snapshotVersion'], changed: boolean): PreviewAction {
  if (created) return 'create';
  if (!before) return 'install';
  if (!changed) return 'unchanged';
  if (before.id === after.id) return 'update_values';
  if (before.snapshot.id !== after.snapshot.id) return 'switch';
  return after.version > before.version ? 'upgrade' : 'downgrade';
}
