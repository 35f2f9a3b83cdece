import type { z } from 'zod';
import type { HookName } from './published-manifest.js';

/** What a plugin may do; shown to agencies before they install it. */
export const PLUGIN_PERMISSIONS = ['calls:read', 'calls:classify', 'textback:veto', 'contacts:read', 'messages:read', 'subaccounts:read', 'voice:route'] as const;
export type PluginPermission = (typeof PLUGIN_PERMISSIONS)[number];

export interface PluginManifest<Config> {
  /** Stable id, lowercase with dashes, e.g. "voice-ai". */
  id: string;
  name: string;
  /** Semantic version of this plugin release. */
  version: string;
  description: string;
  author: string;
  permissions: readonly PluginPermission[];
  /** Validates an installation's config; the parsed value is what hooks receive. */
  configSchema: z.ZodType<Config>;
  /**
   * What happens when a hook throws or times out: "open" lets the text-back go on as if the
   * plugin had no opinion, "closed" treats the failure as a veto.
   */
  failurePolicy: 'open' | 'closed';
  /** Per-hook budgets and retries; a hook without an entry gets 5 s, the failurePolicy above and the default retries. */
  hookPolicies?: Partial<Record<HookName, { timeoutMs?: number; retries?: number; failurePolicy?: 'open' | 'closed' }>>;
  /** The workflow steps the plugin offers, by name (their handlers are the plugin's `steps`). */
  steps?: Readonly<Record<string, { description: string; configSchema: z.ZodType; timeoutMs?: number; retries?: number }>>;
}

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** Checks a manifest's own fields; returns the problems, empty when it is sound. */
export function manifestProblems(manifest: PluginManifest<unknown>): string[] {
  const problems: string[] = [];
  if (!ID.test(manifest.id)) problems.push(`id "${manifest.id}" must be lowercase words joined by dashes`);
  if (!SEMVER.test(manifest.version)) problems.push(`version "${manifest.version}" is not a semantic version`);
  if (manifest.name.trim() === '') problems.push('name is empty');
  return problems;
}
