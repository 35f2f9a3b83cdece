import type { EntityManager } from '@mctb/db';
import { driverQuery, pageSize, ProvisioningRun, ProvisioningTarget, type ProvisioningTargetStatus } from '@mctb/db';
import { isUuid, type Scope } from './scope.js';

export interface ProvisioningProgress {
  total: number;
  pending: number;
  applied: number;
  unchanged: number;
  failed: number;
}

export async function findProvisioningRun(em: EntityManager, scope: Scope, id: string): Promise<ProvisioningRun | null> {
  if (scope.subAccountId !== null || !isUuid(id)) return null;
  return em.findOne(ProvisioningRun, { id, agency: scope.agencyId }, { populate: ['snapshotVersion', 'snapshotVersion.snapshot'] });
}

/** The agency's runs, newest first; `after` is the id of the last run of the previous page. */
export async function listProvisioningRuns(em: EntityManager, scope: Scope, page: { first?: number | null; after?: string | null }): Promise<ProvisioningRun[]> {
  if (scope.subAccountId !== null) return [];
  const after = page.after ? await findProvisioningRun(em, scope, page.after) : null;
  if (page.after && !after) return [];
  return em.find(
    ProvisioningRun,
    {
      agency: scope.agencyId,
      ...(after ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, id: { $gt: after.id } }] } : {}),
    },
    { populate: ['snapshotVersion', 'snapshotVersion.snapshot'], orderBy: { createdAt: 'desc', id: 'asc' }, limit: pageSize(page.first) },
  );
}

/** How far a run got: its targets counted by status, in one statement. */
export async function provisioningProgress(em: EntityManager, runId: string): Promise<ProvisioningProgress> {
  const rows = await driverQuery(em)(`select status, count(*)::int as n from provisioning_targets where run_id = $1 group by status`, [runId]);
  const progress: ProvisioningProgress = { total: 0, pending: 0, applied: 0, unchanged: 0, failed: 0 };
  for (const row of rows) {
    const status = row.status as ProvisioningTargetStatus;
    progress[status] = row.n as number;
    progress.total += row.n as number;
  }
  return progress;
}

/** A run's targets in request order, optionally of one status; `after` is the index of the last one of the previous page. */
export async function provisioningTargets(
  em: EntityManager,
  runId: string,
  page: { first?: number | null; after?: number | null; status?: ProvisioningTargetStatus | null },
): Promise<ProvisioningTarget[]> {
  return em.find(
    ProvisioningTarget,
    { run: runId, ...(page.status ? { status: page.status } : {}), ...(page.after !== undefined && page.after !== null ? { index: { $gt: page.after } } : {}) },
    { orderBy: { index: 'asc' }, limit: pageSize(page.first), populate: ['subAccount'] },
  );
}
