import type { EntityManager } from '@mctb/db';
import { AppliedVersion, announceRoutingChange, LockMode, Provisioning, ProvisioningRun, SnapshotVersion, type SubAccount } from '@mctb/db';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { PluginCatalog } from './plugin-catalog.js';
import { currentDefinition, localEditConflicts, resolveCustomValues, type LocalEditConflict, type SnapshotDefinition } from '@mctb/snapshots';
import { isDeepStrictEqual } from 'node:util';
import { installInto } from './plugins.js';
import { invalid, ok, type FieldIssue, type Result } from './result.js';

/**
 * A snapshot version as plain data. Applying it never loads the version as an entity: a run of a
 * thousand targets would otherwise hydrate, and compare at every flush, its definition a thousand times.
 */
export interface VersionToApply {
  id: string;
  slug: string;
  number: number;
  definition: SnapshotDefinition;
}

export function versionToApply(version: SnapshotVersion): VersionToApply {
  // Read as today's code reads it, whatever shape the release that stored it wrote.
  return { id: version.id, slug: version.snapshot.slug, number: version.version, definition: currentDefinition(version.definition) };
}

export interface ApplyVersionInput {
  subAccount: SubAccount;
  version: VersionToApply;
  /** Values given now; on an upgrade the sub-account's own values fill the keys not given. */
  customValues: Record<string, string>;
  /** The API key that asked. */
  appliedBy: string | null;
  /** The provisioning run it is part of, if any. */
  runId: string | null;
}

export interface AppliedVersionOutcome {
  provisioning: Provisioning;
  /** False when the sub-account already ran this version with these values. */
  changed: boolean;
  /** Version the sub-account ran before, null on its first provisioning. */
  previousVersion: number | null;
  /** Local edits the newer version also changes: kept as the sub-account set them. */
  conflicts: LocalEditConflict[];
}

/**
 * Puts a snapshot version into one sub-account, keeping what the client owns: its custom values
 * (a value given now wins) and its local edits of templates and hours. Installs the plugins the
 * version requires and records the version in the sub-account's history. Run it in a transaction:
 * the provisioning row is locked so a concurrent edit or provisioning waits.
 */
export async function applyVersion(em: EntityManager, builtins: PluginRegistry, input: ApplyVersionInput): Promise<Result<AppliedVersionOutcome>> {
  const { subAccount, version } = input;
  const current = await em.findOne(Provisioning, { subAccount }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const declared = new Set(version.definition.customValues.map((value) => value.key));
  const kept = Object.fromEntries(Object.entries(current?.customValues ?? {}).filter(([key, value]) => declared.has(key) && value !== ''));
  const values = resolveCustomValues(version.definition, { ...kept, ...input.customValues });
  const issues: FieldIssue[] = values.ok ? [] : values.issues.map((issue) => ({ ...issue, message: requiredMessage(issue, version) }));

  // Required plugins resolve to the highest release in their range that the agency can see now.
  const catalog = version.definition.plugins.length > 0 ? await PluginCatalog.load(em, subAccount.agency.id, builtins) : null;
  for (const [index, required] of version.definition.plugins.entries()) {
    const at = `plugins[${index}]`;
    const installed = await installInto(em, catalog!, subAccount, { pluginId: required.id, range: required.version, config: required.config, configPath: `${at}.config`, idPath: `${at}.id`, rangePath: `${at}.version` });
    if (!installed.ok) issues.push(...(installed.kind === 'invalid' ? installed.issues : [{ path: `plugins[${index}]`, message: installed.message }]));
  }
  if (issues.length > 0 || !values.ok) return invalid(issues);

  const previousId = current?.snapshotVersion.id ?? null;
  if (current && previousId === version.id && isDeepStrictEqual(current.customValues, values.values)) {
    return ok({ provisioning: current, changed: false, previousVersion: version.number, conflicts: [] });
  }
  // Only a move to another version needs the one it leaves (for the local edits it touches).
  const previous = previousId && previousId !== version.id ? await em.findOneOrFail(SnapshotVersion, previousId) : null;
  const conflicts = current && previous ? localEditConflicts(currentDefinition(previous.definition), version.definition, current.localEdits) : [];
  let provisioning = current;
  const next = em.getReference(SnapshotVersion, version.id);
  if (!provisioning) {
    provisioning = new Provisioning(subAccount, next, values.values);
    em.persist(provisioning);
  } else {
    provisioning.snapshotVersion = next;
    provisioning.customValues = values.values;
    provisioning.provisionedAt = new Date();
  }
  em.persist(
    new AppliedVersion({
      subAccount,
      snapshotVersion: next,
      previousVersion: previousId ? em.getReference(SnapshotVersion, previousId) : null,
      run: input.runId ? em.getReference(ProvisioningRun, input.runId) : null,
      appliedBy: input.appliedBy,
    }),
  );
  await em.flush();
  // Required plugins may have been installed or reconfigured.
  if (version.definition.plugins.length > 0) await announceRoutingChange(em, subAccount.id);
  return ok({ provisioning, changed: true, previousVersion: previous?.version ?? (previousId === version.id ? version.number : null), conflicts });
}

/**
 * The sub-account's provisioning row, locked until the transaction ends, with its version. Locked
 * alone: a FOR UPDATE over a join would lock the shared snapshot version too and queue every
 * writer behind it.
 */
export async function lockedProvisioning(em: EntityManager, subAccount: SubAccount | string): Promise<Provisioning | null> {
  const locked = await em.findOne(Provisioning, { subAccount }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (locked) await em.populate(locked, ['snapshotVersion', 'snapshotVersion.snapshot']);
  return locked;
}

/** A required value with nothing given (nor kept from before) names the key and the version asking for it. */
function requiredMessage(issue: FieldIssue, version: VersionToApply): string {
  if (!issue.message.endsWith('is required')) return issue.message;
  const key = issue.path.replace(/^customValues\./, '');
  return `${issue.message} by ${version.slug} v${version.number} and this sub-account has no value for "${key}": give one`;
}
