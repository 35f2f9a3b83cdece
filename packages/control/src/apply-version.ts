import type { EntityManager } from '@mctb/db';
import { AppliedVersion, announceRoutingChange, LockMode, Provisioning, type ProvisioningRun, type SnapshotVersion, type SubAccount } from '@mctb/db';
import { localEditConflicts, resolveCustomValues, type LocalEditConflict } from '@mctb/snapshots';
import { isDeepStrictEqual } from 'node:util';
import { installInto } from './plugins.js';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { invalid, ok, type FieldIssue, type Result } from './result.js';

export interface ApplyVersionInput {
  subAccount: SubAccount;
  version: SnapshotVersion;
  /** Values given now; on an upgrade the sub-account's own values fill the keys not given. */
  customValues: Record<string, string>;
  /** The API key that asked. */
  appliedBy: string | null;
  run: ProvisioningRun | null;
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
export async function applyVersion(em: EntityManager, plugins: PluginRegistry, input: ApplyVersionInput): Promise<Result<AppliedVersionOutcome>> {
  const { subAccount, version } = input;
  const current = await em.findOne(Provisioning, { subAccount }, { populate: ['snapshotVersion'], lockMode: LockMode.PESSIMISTIC_WRITE });
  const declared = new Set(version.definition.customValues.map((value) => value.key));
  const kept = Object.fromEntries(Object.entries(current?.customValues ?? {}).filter(([key, value]) => declared.has(key) && value !== ''));
  const values = resolveCustomValues(version.definition, { ...kept, ...input.customValues });
  const issues: FieldIssue[] = values.ok ? [] : values.issues.map((issue) => ({ ...issue, message: requiredMessage(issue, version) }));

  for (const [index, required] of version.definition.plugins.entries()) {
    const installed = await installInto(em, plugins, subAccount, required.id, required.config, `plugins[${index}].config`);
    if (!installed.ok) issues.push(...(installed.kind === 'invalid' ? installed.issues : [{ path: `plugins[${index}]`, message: installed.message }]));
  }
  if (issues.length > 0 || !values.ok) return invalid(issues);

  const previous = current?.snapshotVersion ?? null;
  if (current && previous?.id === version.id && isDeepStrictEqual(current.customValues, values.values)) {
    return ok({ provisioning: current, changed: false, previousVersion: previous.version, conflicts: [] });
  }
  const conflicts = previous?.id === version.id ? [] : localEditConflicts(previous?.definition ?? null, version.definition, current?.localEdits);
  let provisioning = current;
  if (!provisioning) {
    provisioning = new Provisioning(subAccount, version, values.values);
    em.persist(provisioning);
  } else {
    provisioning.snapshotVersion = version;
    provisioning.customValues = values.values;
    provisioning.provisionedAt = new Date();
  }
  em.persist(new AppliedVersion({ subAccount, snapshotVersion: version, previousVersion: previous, run: input.run, appliedBy: input.appliedBy }));
  await em.flush();
  // Required plugins may have been installed or reconfigured.
  if (version.definition.plugins.length > 0) await announceRoutingChange(em, subAccount.id);
  return ok({ provisioning, changed: true, previousVersion: previous?.version ?? null, conflicts });
}

/** A required value with nothing given (nor kept from before) names the key and the version asking for it. */
function requiredMessage(issue: FieldIssue, version: SnapshotVersion): string {
  if (!issue.message.endsWith('is required')) return issue.message;
  const key = issue.path.replace(/^customValues\./, '');
  return `${issue.message} by ${version.snapshot.slug} v${version.version} and this sub-account has no value for "${key}": give one`;
}
