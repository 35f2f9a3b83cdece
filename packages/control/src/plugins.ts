import type { EntityManager , SubAccount } from '@mctb/db';
import { formatFieldPath, NUL_MESSAGE, nulPaths } from '@mctb/domain';
import { announceRoutingChange, PluginInstallation } from '@mctb/db';
import { parsePluginConfig, pluginConfigLookup, type PluginRegistry } from '@mctb/plugin-sdk';
import type { SnapshotPluginLookup } from '@mctb/snapshots';
import { forbidden, invalid, notFound, ok, type Result } from './result.js';
import { findSubAccountInScope, type Scope } from './scope.js';

/** Lets snapshot validation check plugin ids and configs against the plugins this deployment has. */
export function snapshotPluginLookup(plugins: PluginRegistry): SnapshotPluginLookup {
  return pluginConfigLookup(plugins);
}

/** Installs (or reconfigures) a plugin in a sub-account; the config must pass the plugin's schema. */
export async function installPlugin(
  em: EntityManager,
  plugins: PluginRegistry,
  scope: Scope,
  input: { subAccountId: string; pluginId: string; config: unknown },
): Promise<Result<PluginInstallation>> {
  // Plugins see calls and can veto texts: installing one is the agency's decision.
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot install plugins; ask the agency');
  const subAccount = await findSubAccountInScope(em, scope, input.subAccountId);
  if (!subAccount) return notFound(`sub-account ${input.subAccountId} not found`);
  const result = await installInto(em, plugins, subAccount, input.pluginId, input.config, 'config');
  if (result.ok) {
    await em.flush();
    await announceRoutingChange(em, subAccount.id);
  }
  return result;
}

/** Validates and stages an installation; the caller flushes (so provisioning can do it in one go). */
export async function installInto(
  em: EntityManager,
  plugins: PluginRegistry,
  subAccount: SubAccount,
  pluginId: string,
  rawConfig: unknown,
  configPath: string,
): Promise<Result<PluginInstallation>> {
  const plugin = plugins.get(pluginId);
  if (!plugin) return invalid([{ path: 'pluginId', message: `no plugin "${pluginId.slice(0, 64)}" is available` }]);
  const unstorable = nulPaths(rawConfig);
  if (unstorable.length > 0) return invalid(unstorable.map((path) => ({ path: formatFieldPath([configPath, ...path]), message: NUL_MESSAGE })));
  const parsed = parsePluginConfig(plugin, rawConfig);
  if (!parsed.ok) {
    return invalid(parsed.issues.map((issue) => ({ path: issue.path ? `${configPath}.${issue.path}` : configPath, message: issue.message })));
  }
  const config = parsed.config as Record<string, unknown>;
  let installation = await em.findOne(PluginInstallation, { subAccount, pluginId });
  if (installation) {
    installation.config = config;
    installation.pluginVersion = plugin.manifest.version;
    installation.enabled = true;
  } else {
    installation = new PluginInstallation(subAccount, pluginId, plugin.manifest.version, config);
    em.persist(installation);
  }
  return ok(installation);
}

export async function installedPlugins(em: EntityManager, subAccountId: string): Promise<PluginInstallation[]> {
  return em.find(PluginInstallation, { subAccount: subAccountId }, { orderBy: { installedAt: 'asc' } });
}
