import { z } from 'zod';
import type { PluginHooks, PluginStepHandler } from './hooks.js';
import type { PluginWebhook, VoiceRouting } from './host.js';
import { manifestProblems, type PluginManifest } from './manifest.js';
import { parsePublishedManifest, type HookName, type PublishedManifest } from './published-manifest.js';

export interface Plugin<Config = unknown> {
  manifest: PluginManifest<Config>;
  hooks: PluginHooks<Config>;
  /** Handlers of the steps the manifest declares, by name. */
  steps?: Readonly<Record<string, PluginStepHandler<Config>>>;
  webhooks?: Readonly<Record<string, PluginWebhook<Config>>>;
  voice?: VoiceRouting<Config>;
}

/**
 * A plugin of any config type. The host only hands a plugin config that its own schema parsed,
 * so erasing the type parameter at the registry is safe.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPlugin = Plugin<any>;

/** Declares a plugin; a malformed manifest, or a step without its handler, fails here, at load time. */
export function definePlugin<Config>(plugin: Plugin<Config>): Plugin<Config> {
  const problems = manifestProblems(plugin.manifest as PluginManifest<unknown>);
  const declared = Object.keys(plugin.manifest.steps ?? {});
  const handled = Object.keys(plugin.steps ?? {});
  for (const name of declared) if (!handled.includes(name)) problems.push(`step "${name}" is declared but has no handler`);
  for (const name of handled) if (!declared.includes(name)) problems.push(`step "${name}" has a handler but is not declared in the manifest`);
  if (problems.length > 0) throw new Error(`plugin "${plugin.manifest.id}": ${problems.join('; ')}`);
  return plugin;
}

/**
 * The manifest as the marketplace stores it: plain JSON, with the zod schemas turned into JSON
 * Schema. `runtime` says where it runs: in the worker (first party) or at the plugin's own URL.
 */
export function publishedManifestOf(plugin: AnyPlugin, runtime: PublishedManifest['runtime']): PublishedManifest {
  const { manifest } = plugin;
  const hooks: Record<string, unknown> = {};
  for (const hook of Object.keys(plugin.hooks) as HookName[]) {
    hooks[hook] = { failurePolicy: manifest.failurePolicy, ...manifest.hookPolicies?.[hook] };
  }
  const steps: Record<string, unknown> = {};
  for (const [name, step] of Object.entries(manifest.steps ?? {})) {
    steps[name] = { description: step.description, configSchema: jsonSchemaOf(step.configSchema), timeoutMs: step.timeoutMs, retries: step.retries };
  }
  const parsed = parsePublishedManifest({
    id: manifest.id,
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    author: manifest.author,
    permissions: [...manifest.permissions],
    configSchema: jsonSchemaOf(manifest.configSchema),
    runtime,
    hooks,
    steps,
  });
  if (!parsed.ok) throw new Error(`plugin "${manifest.id}": ${parsed.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  return parsed.manifest;
}

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
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
