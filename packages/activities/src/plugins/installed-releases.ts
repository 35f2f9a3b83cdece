import type { ActivityDeps } from '../deps.js';
import { publishedManifestOf, type HookName, type HookPolicy, type PublishedManifest } from '@mctb/plugin-sdk';

/** An enabled installation with the release it runs: what calling the plugin needs. */
export interface InstalledRelease {
  installationId: string;
  subAccountId: string;
  pluginId: string;
  version: string;
  config: Record<string, unknown>;
  manifest: PublishedManifest;
  /** Remote plugins check our requests with it; null for first-party ones. */
  signingSecret: string | null;
}

/**
 * What a run pins of each plugin installed when it opened: which hooks and steps it has and their
 * budgets, so the workflow can give each call its own timeout and retries. Plain JSON.
 */
export interface PinnedPlugin {
  installationId: string;
  pluginId: string;
  version: string;
  hooks: Partial<Record<HookName, HookPolicy>>;
  steps: Record<string, { timeoutMs: number; retries: number }>;
}

interface Row {
  installation_id: string;
  sub_account_id: string;
  plugin_id: string;
  plugin_version: string;
  config: Record<string, unknown>;
  manifest: PublishedManifest | null;
  signing_secret: string | null;
}

const SELECT = `select i.id as installation_id, i.sub_account_id, i.plugin_id, i.plugin_version, i.config, v.manifest, p.signing_secret
  from plugin_installations i
  left join plugin_versions v on v.plugin_id = i.plugin_id and v.version = i.plugin_version
  left join plugins p on p.id = i.plugin_id`;

/** The sub-account's enabled installations, oldest first (the order hooks are asked in). */
export async function installedReleases(deps: ActivityDeps, subAccountId: string): Promise<InstalledRelease[]> {
  const rows = await deps.orm.em.getConnection().execute<Row[]>(`${SELECT} where i.sub_account_id = ? and i.enabled order by i.installed_at, i.id`, [subAccountId]);
  return rows.flatMap((row) => releaseOf(deps, row));
}

/** One installation as it is now (its config may have changed since the run pinned it); null when gone or disabled. */
export async function installedRelease(deps: ActivityDeps, installationId: string): Promise<InstalledRelease | null> {
  const [row] = await deps.orm.em.getConnection().execute<Row[]>(`${SELECT} where i.id = ? and i.enabled`, [installationId]);
  return row ? (releaseOf(deps, row)[0] ?? null) : null;
}

function releaseOf(deps: ActivityDeps, row: Row): InstalledRelease[] {
  let manifest = row.manifest;
  // A first-party release this build ships may not be recorded yet (the control plane records it at start).
  if (!manifest) {
    const builtin = deps.plugins.get(row.plugin_id);
    if (!builtin || builtin.manifest.version !== row.plugin_version) return [];
    manifest = publishedManifestOf(builtin, { kind: 'builtin' });
  }
  return [
    {
      installationId: row.installation_id,
      subAccountId: row.sub_account_id,
      pluginId: row.plugin_id,
      version: row.plugin_version,
      config: row.config,
      manifest,
      signingSecret: row.signing_secret,
    },
  ];
}

export function pinnedPlugin(release: InstalledRelease): PinnedPlugin {
  const steps: PinnedPlugin['steps'] = {};
  for (const [name, step] of Object.entries(release.manifest.steps)) steps[name] = { timeoutMs: step.timeoutMs, retries: step.retries };
  return { installationId: release.installationId, pluginId: release.pluginId, version: release.version, hooks: release.manifest.hooks, steps };
}
