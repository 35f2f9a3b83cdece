import type { EntityManager } from '@mctb/db';
import { Agency, announceRoutingChange, pageSize, Provisioning, Snapshot, SnapshotVersion, UniqueConstraintViolationException } from '@mctb/db';
import type { FilterQuery } from '@mctb/db';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { parseSnapshot, resolveCustomValues } from '@mctb/snapshots';
import { isDeepStrictEqual } from 'node:util';
import { installInto, snapshotPluginLookup } from './plugins.js';
import { forbidden, invalid, notFound, ok, type Result } from './result.js';
import { findSubAccountInScope, isUuid, type Scope } from './scope.js';

/**
 * Validates a snapshot YAML as a whole and stores it as an immutable version. Importing the same
 * version again with the same content is a no-op; different content under a used version is refused.
 */
export async function importSnapshot(
  em: EntityManager,
  plugins: PluginRegistry,
  scope: Scope,
  yaml: string,
): Promise<Result<{ version: SnapshotVersion; created: boolean }>> {
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot import snapshots');
  const parsed = parseSnapshot(yaml, { plugins: snapshotPluginLookup(plugins) });
  if (!parsed.ok) return invalid(parsed.issues);
  const { metadata } = parsed.snapshot;

  let snapshot = await em.findOne(Snapshot, { agency: scope.agencyId, slug: metadata.slug });
  if (snapshot) {
    const existing = await em.findOne(SnapshotVersion, { snapshot, version: metadata.version });
    if (existing) {
      // Same content: the stored file reads as this one does today (whatever shape an earlier release stored).
      const stored = existing.sourceYaml === yaml ? parsed : parseSnapshot(existing.sourceYaml, { plugins: snapshotPluginLookup(plugins) });
      if (stored.ok && isDeepStrictEqual(asStoredJson(stored.snapshot), asStoredJson(parsed.snapshot))) return ok({ version: existing, created: false });
      return invalid([
        { path: 'metadata.version', message: `version ${metadata.version} of "${metadata.slug}" already exists with different content; versions are immutable, so bump the version` },
      ]);
    }
    snapshot.name = metadata.name;
  } else {
    snapshot = new Snapshot(em.getReference(Agency, scope.agencyId), metadata.slug, metadata.name);
    em.persist(snapshot);
  }
  const version = new SnapshotVersion(snapshot, metadata.version, parsed.snapshot, yaml);
  try {
    await em.persist(version).flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      return invalid([{ path: 'metadata.version', message: `version ${metadata.version} of "${metadata.slug}" was just imported by another request` }]);
    }
    throw error;
  }
  return ok({ version, created: true });
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
 * Applies a snapshot version to a sub-account with that client's custom values, installing the
 * plugins it requires. Re-running the same request changes nothing.
 */
export async function provisionSnapshot(
  em: EntityManager,
  plugins: PluginRegistry,
  scope: Scope,
  input: { subAccountId: string; snapshotVersionId: string; customValues: Record<string, string> },
): Promise<Result<{ provisioning: Provisioning; changed: boolean }>> {
  // What a client runs is the agency's decision: a sub-account key can't change it.
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot provision snapshots; the agency decides what runs in its sub-accounts');
  const subAccount = await findSubAccountInScope(em, scope, input.subAccountId);
  if (!subAccount) return notFound(`sub-account ${input.subAccountId} not found`);
  const version = await findSnapshotVersion(em, scope, input.snapshotVersionId);
  if (!version) return notFound(`snapshot version ${input.snapshotVersionId} not found`);

  const values = resolveCustomValues(version.definition, input.customValues);
  if (!values.ok) return invalid(values.issues);

  const issues = [];
  for (const [index, required] of version.definition.plugins.entries()) {
    const installed = await installInto(em, plugins, subAccount, required.id, required.config, `plugins[${index}].config`);
    if (!installed.ok) issues.push(...(installed.kind === 'invalid' ? installed.issues : [{ path: `plugins[${index}]`, message: installed.message }]));
  }
  if (issues.length > 0) {
    em.clear();
    return invalid(issues);
  }

  let provisioning = await em.findOne(Provisioning, { subAccount });
  let changed = true;
  if (!provisioning) {
    provisioning = new Provisioning(subAccount, version, values.values);
    em.persist(provisioning);
  } else if (provisioning.snapshotVersion.id === version.id && isDeepStrictEqual(provisioning.customValues, values.values)) {
    changed = false;
  } else {
    provisioning.snapshotVersion = version;
    provisioning.customValues = values.values;
    provisioning.provisionedAt = new Date();
  }
  await em.flush();
  // Required plugins may have been installed or reconfigured.
  if (version.definition.plugins.length > 0) await announceRoutingChange(em, subAccount.id);
  return ok({ provisioning, changed });
}

/** What a value looks like after a round trip through a jsonb column (undefined keys vanish). */
function asStoredJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
