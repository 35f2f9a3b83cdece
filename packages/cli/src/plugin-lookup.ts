import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { pluginConfigLookup } from '@mctb/plugin-sdk';
import type { SnapshotPluginLookup } from '@mctb/snapshots';

/**
 * The first-party plugins the platform ships, as validation looks them up: `validate` then checks
 * plugin ids and configs as an import does. A server with more plugins installed checks those on push.
 */
export function firstPartyPluginLookup(): SnapshotPluginLookup {
  return pluginConfigLookup(firstPartyPlugins());
}
