import type { EntityManager, SubAccount } from '@mctb/db';
import { formatFieldPath, NUL_MESSAGE, nulPaths } from '@mctb/domain';
import { announceRoutingChange, PluginInstallation } from '@mctb/db';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { PluginCatalog } from './plugin-catalog.js';
import { forbidden, invalid, notFound, ok, type Result } from './result.js';
import { findSubAccountInScope, type Scope } from './scope.js';

export interface InstallInput {
  subAccountId: string;
  pluginId: string;
  /** A semver range or exact version; the highest published version in it is installed. Default: the latest. */
  version?: string | null;
  config: unknown;
}

/** Installs (or reconfigures) a plugin in a sub-account; the config must pass the release's schema. */
export async function installPlugin(em: EntityManager, builtins: PluginRegistry, scope: Scope, input: InstallInput): Promise<Result<PluginInstallation>> {
  const subAccount = await agencyOnly(em, scope, input.subAccountId);
  if (!subAccount.ok) return subAccount;
  const catalog = await PluginCatalog.load(em, scope.agencyId, builtins);
  const result = await installInto(em, catalog, subAccount.value, { pluginId: input.pluginId, range: input.version ?? '*', config: input.config, configPath: 'config', idPath: 'pluginId', rangePath: 'version' });
  if (result.ok) await settle(em, subAccount.value);
  return result;
}

export interface UpgradeInput {
  subAccountId: string;
  pluginId: string;
  /** Default: the latest published version. An exact older version moves the installation back. */
  version?: string | null;
  /** Default: the installation's config, checked against the new release's schema. */
  config?: unknown;
}

/** Moves an installation to another release, keeping its config unless a new one is given. */
export async function upgradePlugin(
  em: EntityManager,
  builtins: PluginRegistry,
  scope: Scope,
  input: UpgradeInput,
): Promise<Result<{ installation: PluginInstallation; previousVersion: string }>> {
  const subAccount = await agencyOnly(em, scope, input.subAccountId);
  if (!subAccount.ok) return subAccount;
  const installation = await em.findOne(PluginInstallation, { subAccount: subAccount.value, pluginId: input.pluginId });
  if (!installation) return notFound(`plugin "${input.pluginId.slice(0, 64)}" is not installed in sub-account ${input.subAccountId}`);
  const previousVersion = installation.pluginVersion;
  const catalog = await PluginCatalog.load(em, scope.agencyId, builtins);
  const result = await installInto(em, catalog, subAccount.value, {
    pluginId: input.pluginId,
    range: input.version ?? '*',
    config: input.config ?? installation.config,
    configPath: 'config',
    idPath: 'pluginId',
    rangePath: 'version',
    keepEnabled: true,
  });
  if (!result.ok) return result;
  await settle(em, subAccount.value);
  return ok({ installation: result.value, previousVersion });
}

/** Turns an installation off (its hooks, steps and voice routing stop) or back on, keeping its config. */
export async function setPluginEnabled(
  em: EntityManager,
  scope: Scope,
  input: { subAccountId: string; pluginId: string; enabled: boolean },
): Promise<Result<PluginInstallation>> {
  const subAccount = await agencyOnly(em, scope, input.subAccountId);
  if (!subAccount.ok) return subAccount;
  const installation = await em.findOne(PluginInstallation, { subAccount: subAccount.value, pluginId: input.pluginId });
  if (!installation) return notFound(`plugin "${input.pluginId.slice(0, 64)}" is not installed in sub-account ${input.subAccountId}`);
  installation.enabled = input.enabled;
  await settle(em, subAccount.value);
  return ok(installation);
}

/** Removes an installation and its config. Runs already started keep the plugins they began with. */
export async function uninstallPlugin(em: EntityManager, scope: Scope, input: { subAccountId: string; pluginId: string }): Promise<Result<{ pluginId: string }>> {
  const subAccount = await agencyOnly(em, scope, input.subAccountId);
  if (!subAccount.ok) return subAccount;
  const installation = await em.findOne(PluginInstallation, { subAccount: subAccount.value, pluginId: input.pluginId });
  if (!installation) return notFound(`plugin "${input.pluginId.slice(0, 64)}" is not installed in sub-account ${input.subAccountId}`);
  em.remove(installation);
  await settle(em, subAccount.value);
  return ok({ pluginId: input.pluginId });
}

export interface InstallIntoInput {
  pluginId: string;
  range: string;
  config: unknown;
  /** Where the config came from, for issue paths (e.g. `plugins[0].config`). */
  configPath: string;
  /** Where the id and the range came from (e.g. `plugins[0].id`, `plugins[0].version`). */
  idPath: string;
  rangePath: string;
  /** An upgrade keeps a disabled installation disabled; an install turns it on. */
  keepEnabled?: boolean;
}

/** Resolves the release, validates the config and stages the installation; the caller flushes. */
export async function installInto(em: EntityManager, catalog: PluginCatalog, subAccount: SubAccount, input: InstallIntoInput): Promise<Result<PluginInstallation>> {
  const resolved = catalog.resolve(input.pluginId, input.range);
  if (!resolved.ok) {
    return invalid([{ path: catalog.versions(input.pluginId).length === 0 ? input.idPath : input.rangePath, message: resolved.message }]);
  }
  const { release } = resolved;
  const unstorable = nulPaths(input.config);
  if (unstorable.length > 0) return invalid(unstorable.map((path) => ({ path: formatFieldPath([input.configPath, ...path]), message: NUL_MESSAGE })));
  const problems = catalog.configProblems(release, input.config, input.configPath);
  if (problems.length > 0) return invalid(problems);
  const config = catalog.normalizedConfig(release, input.config);
  let installation = await em.findOne(PluginInstallation, { subAccount, pluginId: input.pluginId });
  if (installation) {
    installation.config = config;
    installation.pluginVersion = release.version;
    if (!input.keepEnabled) installation.enabled = true;
  } else {
    installation = new PluginInstallation(subAccount, input.pluginId, release.version, config);
    em.persist(installation);
  }
  return ok(installation);
}

export async function installedPlugins(em: EntityManager, subAccountId: string): Promise<PluginInstallation[]> {
  return em.find(PluginInstallation, { subAccount: subAccountId }, { orderBy: { installedAt: 'asc' } });
}

/** Plugins see calls and can veto texts: what runs in a sub-account is the agency's decision. */
async function agencyOnly(em: EntityManager, scope: Scope, subAccountId: string): Promise<Result<SubAccount>> {
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot install plugins or change them; ask the agency');
  const subAccount = await findSubAccountInScope(em, scope, subAccountId);
  return subAccount ? ok(subAccount) : notFound(`sub-account ${subAccountId} not found`);
}

async function settle(em: EntityManager, subAccount: SubAccount): Promise<void> {
  await em.flush();
  // The gateway caches each number's route with its plugins (voice routing).
  await announceRoutingChange(em, subAccount.id);
}
