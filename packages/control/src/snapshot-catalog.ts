import type { EntityManager } from '@mctb/db';
import { AppliedVersion, pageSize, Provisioning, Snapshot, SnapshotVersion } from '@mctb/db';
import type { FilterQuery } from '@mctb/db';
import { currentDefinition, diffSnapshots, type SnapshotChange } from '@mctb/snapshots';
import { notFound, ok, type Result } from './result.js';
import { findSubAccountInScope, isUuid, type Scope } from './scope.js';

/** A snapshot by slug and version; no version: its latest. */
export interface SnapshotRef {
  slug: string;
  version?: number | null;
}

export async function findSnapshotBySlug(em: EntityManager, scope: Scope, slug: string): Promise<Snapshot | null> {
  return em.findOne(Snapshot, { agency: scope.agencyId, slug });
}

export async function versionsOf(em: EntityManager, snapshot: Snapshot): Promise<SnapshotVersion[]> {
  return em.find(SnapshotVersion, { snapshot }, { orderBy: { version: 'desc' }, populate: ['snapshot'] });
}

export async function resolveSnapshotRef(em: EntityManager, scope: Scope, ref: SnapshotRef): Promise<Result<SnapshotVersion>> {
  const where: FilterQuery<SnapshotVersion> = { snapshot: { agency: scope.agencyId, slug: ref.slug } };
  if (ref.version !== undefined && ref.version !== null) where.version = ref.version;
  const [version] = await em.find(SnapshotVersion, where, { orderBy: { version: 'desc' }, limit: 1, populate: ['snapshot'] });
  if (version) return ok(version);
  const snapshot = await findSnapshotBySlug(em, scope, ref.slug);
  if (!snapshot) return notFound(`no snapshot "${ref.slug}"`);
  return notFound(`snapshot "${ref.slug}" has no version ${ref.version} (latest: ${(await versionsOf(em, snapshot))[0]?.version ?? 'none'})`);
}

export interface SnapshotDiff {
  slug: string;
  from: number;
  to: number;
  changes: SnapshotChange[];
}

/** What changes from version `from` to version `to` of a snapshot (either order). */
export async function snapshotDiff(em: EntityManager, scope: Scope, input: { slug: string; from: number; to: number }): Promise<Result<SnapshotDiff>> {
  const from = await resolveSnapshotRef(em, scope, { slug: input.slug, version: input.from });
  if (!from.ok) return from;
  const to = await resolveSnapshotRef(em, scope, { slug: input.slug, version: input.to });
  if (!to.ok) return to;
  return ok({ slug: input.slug, from: input.from, to: input.to, changes: diffSnapshots(currentDefinition(from.value.definition), currentDefinition(to.value.definition)) });
}

/** A sub-account and the snapshot version it runs. */
export type Deployment = Provisioning;

/**
 * The sub-accounts running a snapshot (one version of it, or any), most recently provisioned
 * first; `after` is the sub-account id of the last row of the previous page.
 */
export async function deploymentsOf(
  em: EntityManager,
  scope: Scope,
  input: { slug: string; version?: number | null; first?: number | null; after?: string | null },
): Promise<Result<Deployment[]>> {
  // A client sees its own provisioning (subAccount.provisioning), not where the agency's snapshots run.
  if (scope.subAccountId !== null) return ok([]);
  const where: FilterQuery<Provisioning> = { snapshotVersion: { snapshot: { agency: scope.agencyId, slug: input.slug } } };
  if (input.version !== undefined && input.version !== null) where.snapshotVersion = { snapshot: { agency: scope.agencyId, slug: input.slug }, version: input.version };
  if (input.after) {
    const last = isUuid(input.after) ? await em.findOne(Provisioning, { subAccount: input.after, snapshotVersion: { snapshot: { agency: scope.agencyId } } }) : null;
    if (!last) return ok([]);
    where.$or = [{ provisionedAt: { $lt: last.provisionedAt } }, { provisionedAt: last.provisionedAt, subAccount: { $gt: input.after } }];
  }
  return ok(
    await em.find(Provisioning, where, {
      populate: ['subAccount', 'snapshotVersion', 'snapshotVersion.snapshot'],
      orderBy: { provisionedAt: 'desc', subAccount: 'asc' },
      limit: pageSize(input.first),
    }),
  );
}

/** The versions applied to a sub-account, newest first: which, when, by which key, through which request. */
export async function appliedVersionsOf(
  em: EntityManager,
  scope: Scope,
  input: { subAccountId: string; slug?: string | null; first?: number | null },
): Promise<AppliedVersion[]> {
  const subAccount = await findSubAccountInScope(em, scope, input.subAccountId);
  if (!subAccount) return [];
  const where: FilterQuery<AppliedVersion> = { subAccount };
  if (input.slug) where.snapshotVersion = { snapshot: { slug: input.slug } };
  return em.find(AppliedVersion, where, {
    populate: ['snapshotVersion', 'snapshotVersion.snapshot', 'previousVersion', 'run'],
    orderBy: { appliedAt: 'desc', id: 'asc' },
    limit: pageSize(input.first),
  });
}
