import { parsePluginConfig } from './plugin.js';
import type { PluginRegistry } from './registry.js';

/** A plugin config's problems, at paths inside the config. */
export type PluginConfigProblems = (config: unknown) => { path: string; message: string }[];

/**
 * Which plugins exist and what their configs must look like, as snapshot validation asks
 * (@mctb/snapshots' SnapshotPluginLookup): the import on the server and `mctb snapshot validate` offline.
 */
export function pluginConfigLookup(plugins: PluginRegistry): { describe(id: string): { validateConfig: PluginConfigProblems } | undefined } {
  return {
    describe(id) {
      const plugin = plugins.get(id);
      if (!plugin) return undefined;
      return {
        validateConfig: (config) => {
          const parsed = parsePluginConfig(plugin, config);
          return parsed.ok ? [] : parsed.issues;
        },
      };
    },
  };
}
