import type { PluginHooks } from './hooks.js';
import type { PluginWebhook, VoiceRouting } from './host.js';
import { manifestProblems, type PluginManifest } from './manifest.js';

export interface Plugin<Config = unknown> {
  manifest: PluginManifest<Config>;
  hooks: PluginHooks<Config>;
  webhooks?: Readonly<Record<string, PluginWebhook<Config>>>;
  voice?: VoiceRouting<Config>;
}

/**
 * A plugin of any config type. The host only hands a plugin config that its own schema parsed,
 * so erasing the type parameter at the registry is safe.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPlugin = Plugin<any>;

/** Declares an in-process plugin; a malformed manifest fails here, at load time. */
export function definePlugin<Config>(plugin: Plugin<Config>): Plugin<Config> {
  const problems = manifestProblems(plugin.manifest as PluginManifest<unknown>);
  if (problems.length > 0) throw new Error(`plugin "${plugin.manifest.id}": ${problems.join('; ')}`);
  return plugin;
}

export interface ConfigIssue {
  path: string;
  message: string;
}

export type ConfigResult<Config> = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

export function parsePluginConfig<Config>(plugin: Plugin<Config>, config: unknown): ConfigResult<Config> {
  const result = plugin.manifest.configSchema.safeParse(config ?? {});
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  };
}
