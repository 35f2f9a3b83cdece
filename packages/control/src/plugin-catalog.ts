import type { EntityManager } from '@mctb/db';
import { PluginVersion } from '@mctb/db';
import {
  checkAgainstSchema,
  compareVersions,
  highestMatching,
  parsePluginConfig,
  publishedManifestOf,
  type PluginRegistry,
  type PublishedManifest,
} from '@mctb/plugin-sdk';
import type { SnapshotPluginLookup } from '@mctb/snapshots';
import type { FieldIssue } from './result.js';

/** One published release as the catalog hands it out. */
export interface CatalogVersion {
  pluginId: string;
  version: string;
  manifest: PublishedManifest;
  yanked: boolean;
  publishedAt: Date;
  /** The agency that owns the plugin; null for first-party plugins. */
  ownerAgencyId: string | null;
}

export type Resolution = { ok: true; release: CatalogVersion } | { ok: false; message: string };

/**
 * The marketplace as one agency sees it: first-party plugins and its own, with every version.
 * Loaded once per request (or per provisioning slice): manifests are small and few.
 */
export class PluginCatalog {
  private readonly byPlugin = new Map<string, CatalogVersion[]>();

  private constructor(
    releases: CatalogVersion[],
    /** In-process implementations: first-party configs are also checked by the plugin's own schema. */
    private readonly builtins: PluginRegistry,
  ) {
    for (const release of releases) {
      const list = this.byPlugin.get(release.pluginId) ?? [];
      list.push(release);
      this.byPlugin.set(release.pluginId, list);
    }
    for (const list of this.byPlugin.values()) list.sort((a, b) => compareVersions(a.version, b.version));
  }

  static async load(em: EntityManager, agencyId: string, builtins: PluginRegistry): Promise<PluginCatalog> {
    const rows = await em.find(
      PluginVersion,
      { plugin: { $or: [{ agency: null }, { agency: agencyId }] } },
      { populate: ['plugin'], orderBy: { plugin: { id: 'asc' } } },
    );
    const releases: CatalogVersion[] = rows.map((row) => ({
      pluginId: row.plugin.id,
      version: row.version,
      manifest: row.manifest as unknown as PublishedManifest,
      yanked: row.yanked,
      publishedAt: row.publishedAt,
      ownerAgencyId: row.plugin.agency?.id ?? null,
    }));
    // The first-party plugins this build ships are always on offer, published at start or not yet.
    for (const plugin of builtins.list()) {
      const { id, version } = plugin.manifest;
      if (releases.some((release) => release.pluginId === id && release.version === version)) continue;
      releases.push({ pluginId: id, version, manifest: publishedManifestOf(plugin, { kind: 'builtin' }), yanked: false, publishedAt: new Date(0), ownerAgencyId: null });
    }
    return new PluginCatalog(releases, builtins);
  }

  pluginIds(): string[] {
    return [...this.byPlugin.keys()].sort();
  }

  /** Every version, oldest first, yanked ones included. */
  versions(pluginId: string): CatalogVersion[] {
    return this.byPlugin.get(pluginId) ?? [];
  }

  release(pluginId: string, version: string): CatalogVersion | undefined {
    return this.versions(pluginId).find((release) => release.version === version);
  }

  /** The highest version in the range that its author has not withdrawn, or why there is none. */
  resolve(pluginId: string, range: string): Resolution {
    const all = this.versions(pluginId);
    if (all.length === 0) return { ok: false, message: `no plugin "${pluginId.slice(0, 64)}" is published to this agency's marketplace` };
    const live = all.filter((release) => !release.yanked);
    const version = highestMatching(live.map((release) => release.version), range);
    if (version === null) {
      const listed = live.map((release) => release.version).join(', ') || 'none (every version was withdrawn)';
      return { ok: false, message: `no published version of plugin "${pluginId}" matches ${range} (published: ${listed})` };
    }
    return { ok: true, release: live.find((release) => release.version === version)! };
  }

  /** Problems of an installation's config for this release, each at `<configPath>.<key>`. */
  configProblems(release: CatalogVersion, config: unknown, configPath: string): FieldIssue[] {
    // A first-party plugin's own (zod) schema is the source of its JSON Schema and words its messages best.
    const checked = release.manifest.runtime.kind === 'builtin' ? null : checkAgainstSchema(release.manifest.configSchema, config);
    const problems = checked === null ? this.builtinProblems(release, config) : checked.ok ? [] : checked.problems;
    return problems.map((problem) => ({ path: problem.path ? `${configPath}.${problem.path}` : configPath, message: problem.message }));
  }

  /** The config as stored: the schema's defaults filled in. Call after configProblems found none. */
  normalizedConfig(release: CatalogVersion, config: unknown): Record<string, unknown> {
    const plugin = release.manifest.runtime.kind === 'builtin' ? this.builtins.get(release.pluginId) : undefined;
    if (plugin) {
      const parsed = parsePluginConfig(plugin, config);
      return parsed.ok ? (parsed.config as Record<string, unknown>) : {};
    }
    const checked = checkAgainstSchema(release.manifest.configSchema, config);
    return checked.ok ? checked.value : {};
  }

  private builtinProblems(release: CatalogVersion, config: unknown): { path: string; message: string }[] {
    if (release.manifest.runtime.kind !== 'builtin') return [];
    const plugin = this.builtins.get(release.pluginId);
    if (!plugin) return [{ path: '', message: `plugin "${release.pluginId}" is not shipped with this release of the platform` }];
    const parsed = parsePluginConfig(plugin, config);
    return parsed.ok ? [] : parsed.issues;
  }

  /** What snapshot validation asks: the highest release in a range, its config and step checks. */
  snapshotLookup(): SnapshotPluginLookup {
    return {
      describe: (id, range) => {
        const resolved = this.resolve(id, range);
        if (!resolved.ok) return undefined;
        const { release } = resolved;
        return {
          validateConfig: (config) => this.configProblems(release, config, '').map(({ path, message }) => ({ path: path.replace(/^\./, ''), message })),
          describeStep: (name) => {
            const step = Object.hasOwn(release.manifest.steps, name) ? release.manifest.steps[name] : undefined;
            if (!step) return undefined;
            return {
              validateConfig: (settings) => {
                const checked = checkAgainstSchema(step.configSchema, settings);
                return checked.ok ? [] : checked.problems;
              },
            };
          },
        };
      },
    };
  }
}

/**
 * The plugins a snapshot version requires that nothing published satisfies now, as issues at
 * `snapshot.plugins[i]`: provisioning refuses the version until its author publishes one.
 */
export async function unmetPluginRequirements(
  em: EntityManager,
  agencyId: string,
  builtins: PluginRegistry,
  version: { slug: string; number: number; definition: { plugins: readonly { id: string; version: string }[] } },
): Promise<FieldIssue[]> {
  const required = version.definition.plugins;
  if (required.length === 0) return [];
  const catalog = await PluginCatalog.load(em, agencyId, builtins);
  return required.flatMap((requirement, index) => {
    const resolved = catalog.resolve(requirement.id, requirement.version);
    if (resolved.ok) return [];
    const field = catalog.versions(requirement.id).length === 0 ? 'id' : 'version';
    return [{ path: `snapshot.plugins[${index}].${field}`, message: `${version.slug} v${version.number} requires plugin "${requirement.id}" ${requirement.version}: ${resolved.message}` }];
  });
}
