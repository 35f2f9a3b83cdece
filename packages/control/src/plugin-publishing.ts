import type { EntityManager } from '@mctb/db';
import { Agency, MarketplacePlugin, PluginVersion, UniqueConstraintViolationException } from '@mctb/db';
import {
  compareVersions,
  isPrivateAddress,
  jsonSchemaError,
  newSigningSecret,
  parsePublishedManifest,
  publishedManifestOf,
  type PluginRegistry,
  type PublishedManifest,
} from '@mctb/plugin-sdk';

import { forbidden, invalid, notFound, ok, type FieldIssue, type Result } from './result.js';
import type { Scope } from './scope.js';

export interface PublishOptions {
  /** Development mode: a remote plugin may live on this machine or its private network. */
  allowPrivateNetworks: boolean;
  /** Ids of the first-party plugins this build ships: reserved, recorded yet or not. */
  firstPartyIds: readonly string[];
}

export interface Published {
  release: PluginVersion;
  /** Returned once, on the plugin's first publish: the plugin checks our requests with it. */
  signingSecret: string | null;
}

/**
 * Publishes a release of an agency's own (private) plugin. Versions only go up and are immutable;
 * the plugin's id belongs to the agency that first published it. Every problem names its path in
 * the manifest, e.g. `manifest.hooks.textback.sent.timeoutMs`.
 */
export async function publishPlugin(em: EntityManager, scope: Scope & { keyId?: string }, rawManifest: unknown, options: PublishOptions): Promise<Result<Published>> {
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot publish plugins; ask the agency');
  const parsed = parsePublishedManifest(rawManifest);
  if (!parsed.ok) return invalid(parsed.issues.map((issue) => ({ path: issue.path ? `manifest.${issue.path}` : 'manifest', message: issue.message })));
  const manifest = parsed.manifest;
  const issues = manifestIssues(manifest, options);
  if (issues.length > 0) return invalid(issues);

  let plugin = await em.findOne(MarketplacePlugin, manifest.id);
  let signingSecret: string | null = null;
  if (options.firstPartyIds.includes(manifest.id) || (plugin && plugin.agency?.id !== scope.agencyId)) {
    return invalid([{ path: 'manifest.id', message: `plugin id "${manifest.id}" belongs to ${plugin?.agency ? 'another agency' : 'a first-party plugin'}; choose another id` }]);
  }
  if (!plugin) {
    signingSecret = newSigningSecret();
    plugin = new MarketplacePlugin(manifest.id, em.getReference(Agency, scope.agencyId), signingSecret);
    em.persist(plugin);
  } else {
    const versions = await em.find(PluginVersion, { plugin }, { fields: ['version'] });
    const taken = versions.find((release) => release.version === manifest.version);
    if (taken) return invalid([{ path: 'manifest.version', message: `version ${manifest.version} of "${manifest.id}" is already published; releases are immutable, so publish a higher version` }]);
    const highest = versions.map((release) => release.version).sort(compareVersions).at(-1);
    if (highest && compareVersions(manifest.version, highest) < 0) {
      return invalid([{ path: 'manifest.version', message: `version ${manifest.version} is lower than the latest published version ${highest}; publish a higher version` }]);
    }
  }
  const release = new PluginVersion(plugin, manifest.version, manifest as unknown as Record<string, unknown>, scope.keyId ?? null);
  try {
    await em.persist(release).flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      return invalid([{ path: 'manifest.version', message: `version ${manifest.version} of "${manifest.id}" was just published by another request` }]);
    }
    throw error;
  }
  return ok({ release, signingSecret });
}

/** Withdraws a release: installations keep running it, but nothing new resolves to it. */
export async function setPluginVersionYanked(em: EntityManager, scope: Scope, input: { pluginId: string; version: string; yanked: boolean }): Promise<Result<PluginVersion>> {
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot withdraw plugin versions');
  const release = await em.findOne(PluginVersion, { plugin: { id: input.pluginId, agency: scope.agencyId }, version: input.version }, { populate: ['plugin'] });
  if (!release) return notFound(`no version ${input.version.slice(0, 32)} of a plugin "${input.pluginId.slice(0, 64)}" this agency published`);
  release.yanked = input.yanked;
  await em.flush();
  return ok(release);
}

/** Gives an agency's remote plugin a new signing secret (the old one stops working at once). */
export async function rotatePluginSigningSecret(em: EntityManager, scope: Scope, pluginId: string): Promise<Result<{ pluginId: string; signingSecret: string }>> {
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot manage plugins');
  const plugin = await em.findOne(MarketplacePlugin, { id: pluginId, agency: scope.agencyId });
  if (!plugin) return notFound(`no plugin "${pluginId.slice(0, 64)}" published by this agency`);
  plugin.signingSecret = newSigningSecret();
  await em.flush();
  return ok({ pluginId, signingSecret: plugin.signingSecret });
}

/**
 * Records the first-party plugins this release ships (at control-plane start): each one's current
 * version is published once; versions shipped by earlier releases stay listed.
 */
export async function publishFirstPartyPlugins(em: EntityManager, builtins: PluginRegistry): Promise<void> {
  for (const plugin of builtins.list()) {
    const manifest = publishedManifestOf(plugin, { kind: 'builtin' });
    await em.getConnection().execute(`insert into plugins (id, agency_id, signing_secret, created_at) values (?, null, null, now()) on conflict (id) do nothing`, [manifest.id]);
    await em.getConnection().execute(
      `insert into plugin_versions (id, plugin_id, version, manifest, yanked, published_at, published_by)
       values (gen_random_uuid(), ?, ?, ?::jsonb, false, now(), null) on conflict (plugin_id, version) do nothing`,
      [manifest.id, manifest.version, JSON.stringify(manifest)],
    );
  }
}

function manifestIssues(manifest: PublishedManifest, options: PublishOptions): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (manifest.runtime.kind !== 'remote') {
    issues.push({ path: 'manifest.runtime.kind', message: 'agencies publish remote plugins; "builtin" is for plugins shipped with the platform' });
  } else if (!options.allowPrivateNetworks) {
    const host = new URL(manifest.runtime.url).hostname.replace(/^\[(.*)\]$/, '$1');
    if (isPrivateAddress(host) || host === 'localhost' || host.endsWith('.localhost')) {
      issues.push({ path: 'manifest.runtime.url', message: `${host} is a private, loopback or link-local address; plugins must be reachable on the public internet` });
    }
  }
  const schemaError = jsonSchemaError(manifest.configSchema);
  if (schemaError) issues.push({ path: 'manifest.configSchema', message: `is not a usable JSON Schema: ${schemaError}` });
  for (const [name, step] of Object.entries(manifest.steps)) {
    const stepError = jsonSchemaError(step.configSchema);
    if (stepError) issues.push({ path: `manifest.steps.${name}.configSchema`, message: `is not a usable JSON Schema: ${stepError}` });
  }
  return issues;
}
