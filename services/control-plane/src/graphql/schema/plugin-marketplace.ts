import { PluginCatalog, publishPlugin, rotatePluginSigningSecret, setPluginVersionYanked, type CatalogVersion } from '@mctb/control';
import { MAX_PAGE, pageSize } from '@mctb/db';
import type { HookPolicy, StepDeclaration } from '@mctb/plugin-sdk';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { unwrap, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { pagedComplexity } from '../pagination.js';

/** One catalog per request: the marketplace as the viewer's agency sees it. */
const catalogs = new WeakMap<object, Promise<PluginCatalog>>();
export function catalogOf(context: GraphQLContext): Promise<PluginCatalog> {
  let catalog = catalogs.get(context.em);
  if (!catalog) {
    catalog = PluginCatalog.load(context.em, context.viewer.agencyId, context.plugins);
    catalogs.set(context.em, catalog);
  }
  return catalog;
}

/** A plugin in the marketplace with all its releases (oldest first). */
interface MarketplaceEntry {
  id: string;
  releases: CatalogVersion[];
}

const HookPolicyRef = builder.objectRef<HookPolicy & { hook: string }>('PluginHookPolicy').implement({
  description: 'How the platform calls one hook of the plugin.',
  fields: (t) => ({
    hook: t.exposeString('hook'),
    timeoutMs: t.exposeInt('timeoutMs'),
    failurePolicy: t.exposeString('failurePolicy', { description: '"open": a failure counts as no opinion; "closed": a failure vetoes the text.' }),
    retries: t.exposeInt('retries', { description: 'Further attempts after a failed one, with backoff and the same idempotency key.' }),
  }),
});

const StepDeclarationRef = builder.objectRef<StepDeclaration & { name: string }>('PluginStepDeclaration').implement({
  description: 'A workflow step the plugin offers: `{ id: …, plugin: <id>, step: <name>, with: {…} }` in a snapshot.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    configSchema: t.field({ type: 'JSON', description: 'JSON Schema of the step\'s `with:` settings.', resolve: (step) => step.configSchema }),
    timeoutMs: t.exposeInt('timeoutMs'),
    retries: t.exposeInt('retries'),
  }),
});

export const PluginReleaseRef = builder.objectRef<CatalogVersion>('PluginRelease').implement({
  description: 'One published version of a plugin; releases are immutable.',
  fields: (t) => ({
    pluginId: t.exposeString('pluginId'),
    version: t.exposeString('version'),
    name: t.string({ resolve: (release) => release.manifest.name }),
    description: t.string({ resolve: (release) => release.manifest.description }),
    author: t.string({ resolve: (release) => release.manifest.author }),
    permissions: t.stringList({ resolve: (release) => [...release.manifest.permissions] }),
    runtime: t.string({ description: '"builtin" (runs in the platform) or "remote" (signed HTTPS calls to the plugin\'s URL).', resolve: (release) => release.manifest.runtime.kind }),
    url: t.string({ nullable: true, description: 'Where a remote plugin is called.', resolve: (release) => (release.manifest.runtime.kind === 'remote' ? release.manifest.runtime.url : null) }),
    configSchema: t.field({ type: 'JSON', description: 'JSON Schema every installation\'s config must pass.', resolve: (release) => release.manifest.configSchema }),
    hooks: t.field({
      type: [HookPolicyRef],
      resolve: (release) => Object.entries(release.manifest.hooks).map(([hook, policy]) => ({ hook, ...policy })),
    }),
    steps: t.field({
      type: [StepDeclarationRef],
      resolve: (release) => Object.entries(release.manifest.steps).map(([name, step]) => ({ name, ...step })),
    }),
    withdrawn: t.boolean({ description: 'Withdrawn by its author: installations keep it, nothing new resolves to it.', resolve: (release) => release.yanked }),
    publishedAt: t.field({ type: 'DateTime', nullable: true, description: 'Null for a first-party release not recorded yet.', resolve: (release) => (release.publishedAt.getTime() === 0 ? null : release.publishedAt) }),
  }),
});

const latest = (entry: MarketplaceEntry): CatalogVersion => entry.releases.filter((release) => !release.yanked).at(-1) ?? entry.releases.at(-1)!;

const PluginRef = builder.objectRef<MarketplaceEntry>('Plugin').implement({
  description: 'A plugin in the marketplace: first-party, or the agency\'s own (private to it). Name, description and permissions are the latest release\'s.',
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.string({ resolve: (entry) => latest(entry).manifest.name }),
    version: t.string({ description: 'The latest release not withdrawn.', resolve: (entry) => latest(entry).version }),
    description: t.string({ resolve: (entry) => latest(entry).manifest.description }),
    author: t.string({ resolve: (entry) => latest(entry).manifest.author }),
    permissions: t.stringList({
      description: 'What the plugin may do once installed, e.g. "calls:classify", "textback:veto".',
      resolve: (entry) => [...latest(entry).manifest.permissions],
    }),
    firstParty: t.boolean({ resolve: (entry) => latest(entry).ownerAgencyId === null }),
    latestRelease: t.field({ type: PluginReleaseRef, resolve: latest }),
    versions: t.field({ type: [PluginReleaseRef], description: 'Every release, newest first.', resolve: (entry) => [...entry.releases].reverse() }),
  }),
});

builder.queryFields((t) => ({
  plugins: t.field({
    type: [PluginRef],
    description: `The marketplace: first-party plugins and the agency's own, by id. At most ${MAX_PAGE} per page; pass the last id as \`after\` for the next page.`,
    args: { first: t.arg.int(), after: t.arg.string() },
    complexity: pagedComplexity,
    resolve: async (_root, args, context) => {
      const catalog = await catalogOf(context);
      return catalog
        .pluginIds()
        .filter((id) => !args.after || id > args.after)
        .slice(0, pageSize(args.first))
        .map((id) => ({ id, releases: catalog.versions(id) }));
    },
  }),
  plugin: t.field({
    type: PluginRef,
    nullable: true,
    args: { id: t.arg.string({ required: true }) },
    resolve: async (_root, { id }, context) => {
      const releases = (await catalogOf(context)).versions(id);
      return releases.length > 0 ? { id, releases } : null;
    },
  }),
}));

const PublishPluginInput = builder.inputType('PublishPluginInput', {
  fields: (t) => ({
    manifest: t.field({
      type: 'JSON',
      required: true,
      description: 'The release\'s manifest: id, name, version (semver, above every published one), description, author, permissions, configSchema (JSON Schema), runtime { kind: "remote", url }, hooks, steps. See the plugin SDK\'s README.',
    }),
  }),
});

const PublishPluginPayload = builder.objectRef<{ release: CatalogVersion; signingSecret: string | null }>('PublishPluginPayload').implement({
  fields: (t) => ({
    release: t.field({ type: PluginReleaseRef, resolve: (payload) => payload.release }),
    signingSecret: t.string({
      nullable: true,
      description: 'On the plugin\'s first publish only: the secret our requests to it are signed with (X-Mctb-Signature). Store it; it is not shown again.',
      resolve: (payload) => payload.signingSecret,
    }),
  }),
});

const WithdrawInput = builder.inputType('WithdrawPluginVersionInput', {
  fields: (t) => ({
    pluginId: t.string({ required: true }),
    version: t.string({ required: true }),
    withdrawn: t.boolean({ description: 'False puts a withdrawn release back. Default true.' }),
  }),
});

const RotateSecretPayload = builder.objectRef<{ pluginId: string; signingSecret: string }>('RotatePluginSigningSecretPayload').implement({
  fields: (t) => ({ pluginId: t.exposeString('pluginId'), signingSecret: t.exposeString('signingSecret') }),
});

builder.mutationFields((t) => ({
  publishPlugin: t.field({
    type: PublishPluginPayload,
    description: 'Publishes a release of one of the agency\'s own remote plugins, private to its sub-accounts (agency keys only). Every problem names its path under manifest.',
    errors: { types: [ValidationError, ForbiddenError] },
    args: { input: t.arg({ type: PublishPluginInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const { em, viewer, allowPrivatePluginUrls, plugins } = context;
      const firstPartyIds = plugins.list().map((plugin) => plugin.manifest.id);
      const published = unwrap(await publishPlugin(em, viewer, input.manifest, { allowPrivateNetworks: allowPrivatePluginUrls, firstPartyIds }));
      catalogs.delete(em);
      const release = (await catalogOf(context)).release(published.release.plugin.id, published.release.version)!;
      return { release, signingSecret: published.signingSecret };
    },
  }),
  withdrawPluginVersion: t.field({
    type: PluginReleaseRef,
    description: 'Withdraws (or restores) a release of the agency\'s plugin: installations keep running it; installs, upgrades and provisioning no longer pick it.',
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { input: t.arg({ type: WithdrawInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const release = unwrap(await setPluginVersionYanked(context.em, context.viewer, { pluginId: input.pluginId, version: input.version, yanked: input.withdrawn ?? true }));
      catalogs.delete(context.em);
      return (await catalogOf(context)).release(release.plugin.id, release.version)!;
    },
  }),
  rotatePluginSigningSecret: t.field({
    type: RotateSecretPayload,
    description: 'Gives one of the agency\'s remote plugins a new signing secret; requests are signed with it from now on.',
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { pluginId: t.arg.string({ required: true }) },
    resolve: async (_root, { pluginId }, { em, viewer }) => unwrap(await rotatePluginSigningSecret(em, viewer, pluginId)),
  }),
}));
