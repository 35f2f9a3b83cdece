import type { EntityManager } from '@mctb/db';
import { Agency, pageSize, Provisioning, Snapshot, SnapshotVersion, UniqueConstraintViolationException } from '@mctb/db';
import type { FilterQuery } from '@mctb/db';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { parseSnapshot, type SnapshotDefinition, type SnapshotIssue, type SnapshotPluginLookup } from '@mctb/snapshots';
import { isDeepStrictEqual } from 'node:util';
import { applyVersion, versionToApply, type AppliedVersionOutcome } from './apply-version.js';
import { PluginCatalog } from './plugin-catalog.js';
import { forbidden, invalid, notFound, ok, type Result } from './result.js';
import { findSubAccountInScope, isUuid, type Scope } from './scope.js';

/**
 * Validates a snapshot YAML as a whole and stores it as an immutable version: the next one after the
 * slug's latest when the file names none, else the one it names (which must be new, or hold the same
 * content). Importing what the latest version (or the named one) already holds is a no-op.
 */
export async function importSnapshot(
  em: EntityManager,
  plugins: PluginRegistry,
  scope: Scope,
  yaml: string,
): Promise<Result<{ version: SnapshotVersion; created: boolean; warnings: SnapshotIssue[] }>> {
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot import snapshots');
  const lookup = (await PluginCatalog.load(em, scope.agencyId, plugins)).snapshotLookup();
  const parsed = parseSnapshot(yaml, { plugins: lookup });
  if (!parsed.ok) return invalid(parsed.issues);
  const { metadata } = parsed.snapshot;
  const named = metadata.version > 0 ? metadata.version : null;

  let snapshot = await em.findOne(Snapshot, { agency: scope.agencyId, slug: metadata.slug });
  let number = named ?? 1;
  if (snapshot) {
    const [latest] = await em.find(SnapshotVersion, { snapshot }, { orderBy: { version: 'desc' }, limit: 1 });
    const existing = named === null ? latest : await em.findOne(SnapshotVersion, { snapshot, version: named });
    if (existing && sameContent(storedDefinition(lookup, existing, yaml, parsed.snapshot), parsed.snapshot)) return ok({ version: existing, created: false, warnings: parsed.warnings });
    if (existing && named !== null) {
      return invalid([
        { path: 'metadata.version', message: `version ${named} of "${metadata.slug}" already exists with different content; versions are immutable, so bump the version or leave it out to get the next one` },
      ]);
    }
    const latestNumber = latest?.version ?? 0;
    if (named !== null && named < latestNumber) {
      return invalid([{ path: 'metadata.version', message: `version ${named} is older than the latest version ${latestNumber} of "${metadata.slug}"; leave it out to get the next one` }]);
    }
    number = named ?? latestNumber + 1;
    snapshot.name = metadata.name;
  } else {
    snapshot = new Snapshot(em.getReference(Agency, scope.agencyId), metadata.slug, metadata.name);
    em.persist(snapshot);
  }
  const definition = { ...parsed.snapshot, metadata: { ...metadata, version: number } };
  const version = new SnapshotVersion(snapshot, number, definition, yaml);
  try {
    await em.persist(version).flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      return invalid([{ path: 'metadata.version', message: `version ${number} of "${metadata.slug}" was just imported by another request; push again` }]);
    }
    throw error;
  }
  return ok({ version, created: true, warnings: parsed.warnings });
}

/** A stored version as a file read today reads (whatever shape an earlier release stored). */
function storedDefinition(plugins: SnapshotPluginLookup, stored: SnapshotVersion, yaml: string, parsed: SnapshotDefinition): SnapshotDefinition | null {
  if (stored.sourceYaml === yaml) return parsed;
  const reread = parseSnapshot(stored.sourceYaml, { plugins });
  return reread.ok ? reread.snapshot : null;
}

/** The same snapshot apart from the version number it carries. */
function sameContent(stored: SnapshotDefinition | null, parsed: SnapshotDefinition): boolean {
  if (!stored) return false;
  const unnumbered = (definition: SnapshotDefinition) => asStoredJson({ ...definition, metadata: { ...definition.metadata, version: 0 } });
  return isDeepStrictEqual(unnumbered(stored), unnumbered(parsed));
}

export async function findSnapshotVersion(em: EntityManager, scope: Scope, id: string): Promise<SnapshotVersion | null> {
  if (!isUuid(id)) return null;
  return em.findOne(SnapshotVersion, { id, snapshot: { agency: scope.agencyId } }, { populate: ['snapshot'] });
}

/** The agency's snapshot versions by slug, newest version first; `after` is the last id of the previous page. */
export async function listSnapshotVersions(em: EntityManager, scope: Scope, page: { first?: number | null; after?: string | null } = {}): Promise<SnapshotVersion[]> {
  const where: FilterQuery<SnapshotVersion> = { snapshot: { agency: scope.agencyId } };
  if (page.after) {
    const last = await findSnapshotVersion(em, scope, page.after);
    if (!last) return [];
    const slug = last.snapshot.slug;
    where.$or = [{ snapshot: { slug: { $gt: slug } } }, { snapshot: { slug }, version: { $lt: last.version } }];
  }
  return em.find(SnapshotVersion, where, { populate: ['snapshot'], orderBy: { snapshot: { slug: 'asc' }, version: 'desc' }, limit: pageSize(page.first) });
}

/**
 * Applies a snapshot version to one sub-account with that client's custom values, installing the
 * plugins it requires; an upgrade keeps the client's values and local edits. Re-running the same
 * request changes nothing. (Many sub-accounts at once: provisioning runs, provisioning-runs.ts.)
 */
export async function provisionSnapshot(
  em: EntityManager,
  plugins: PluginRegistry,
  scope: Scope & { keyId?: string },
  input: { subAccountId: string; snapshotVersionId: string; customValues: Record<string, string> },
): Promise<Result<AppliedVersionOutcome>> {
  // What a client runs is the agency's decision: a sub-account key can't change it.
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot provision snapshots; the agency decides what runs in its sub-accounts');
  const subAccount = await findSubAccountInScope(em, scope, input.subAccountId);
  if (!subAccount) return notFound(`sub-account ${input.subAccountId} not found`);
  const version = await findSnapshotVersion(em, scope, input.snapshotVersionId);
  if (!version) return notFound(`snapshot version ${input.snapshotVersionId} not found`);
  const applied = await em.transactional((tx) =>
    applyVersion(tx, plugins, { subAccount, version: versionToApply(version), customValues: input.customValues, appliedBy: scope.keyId ?? null, runId: null }),
  );
  if (!applied.ok) {
    em.clear();
    return applied;
  }
  // As stored, with the version it runs now (the transaction only referenced it).
  const provisioning = await em.findOneOrFail(Provisioning, { subAccount }, { populate: ['snapshotVersion', 'snapshotVersion.snapshot'], refresh: true });
  return ok({ ...applied.value, provisioning });
}

/** What a value looks like after a round trip through a jsonb column (undefined keys vanish). */
function asStoredJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
