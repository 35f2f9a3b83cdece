import { installPlugin, publishPlugin, type AccountSetup } from '@mctb/control';
import type { EntityManager } from '@mctb/db';
import { definePlugin, publishedManifestOf, servePlugin, type PluginRegistry, type RunningPlugin } from '@mctb/plugin-sdk';
import { z } from 'zod';

/**
 * The cheapest remote plugin there is, on this machine: it has no objection to any text and takes
 * note of each one sent. What it costs a missed call is the platform's overhead of asking a plugin
 * (a signed POST, its answer checked, the attempt recorded) plus a local round trip.
 */
const noObjection = definePlugin({
  manifest: {
    id: 'bench-no-objection',
    name: 'No objection',
    version: '1.0.0',
    description: 'Never vetoes; hears of every text sent.',
    author: 'bench',
    permissions: ['textback:veto', 'messages:read'],
    configSchema: z.strictObject({}),
    failurePolicy: 'open',
  },
  hooks: {
    'textback.beforeSend': async () => ({ veto: false }),
    'textback.sent': async () => undefined,
  },
});

/** Publishes the plugin to the account's agency, serves it, and installs it into the account's sub-account. */
export async function installBenchPlugin(em: EntityManager, builtins: PluginRegistry, account: AccountSetup, port: number): Promise<RunningPlugin> {
  const scope = { agencyId: account.agencyId, subAccountId: null };
  const manifest = publishedManifestOf(noObjection, { kind: 'remote', url: `http://127.0.0.1:${port}/` });
  const published = await publishPlugin(em, scope, manifest, { allowPrivateNetworks: true, firstPartyIds: builtins.list().map((plugin) => plugin.manifest.id) });
  if (!published.ok) throw new Error(`publishing the bench plugin failed: ${JSON.stringify(published)}`);
  const server = await servePlugin(noObjection, { secret: published.value.signingSecret!, port });
  const installed = await installPlugin(em, builtins, scope, { subAccountId: account.subAccountId, pluginId: noObjection.manifest.id, config: {} });
  if (!installed.ok) {
    await server.close();
    throw new Error(`installing the bench plugin failed: ${JSON.stringify(installed)}`);
  }
  return server;
}
