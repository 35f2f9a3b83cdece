import { installPlugin } from '@mctb/control';
import { firstPerParent, MAX_PAGE, pageSize, PluginInstallation } from '@mctb/db';
import { pagedComplexity } from '../pagination.js';
import type { AnyPlugin } from '@mctb/plugin-sdk';
import { builder } from '../builder.js';
import { unwrap, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { maskSecrets } from '../mask.js';
import { SubAccountRef } from './sub-account.js';

const PluginRef = builder.objectRef<AnyPlugin>('Plugin').implement({
  description: 'A plugin this deployment offers.',
  fields: (t) => ({
    id: t.string({ resolve: (plugin) => plugin.manifest.id }),
    name: t.string({ resolve: (plugin) => plugin.manifest.name }),
    version: t.string({ resolve: (plugin) => plugin.manifest.version }),
    description: t.string({ resolve: (plugin) => plugin.manifest.description }),
    author: t.string({ resolve: (plugin) => plugin.manifest.author }),
    permissions: t.stringList({
      description: 'What the plugin may do once installed, e.g. "calls:classify", "textback:veto".',
      resolve: (plugin) => [...plugin.manifest.permissions],
    }),
  }),
});

builder.queryField('plugins', (t) =>
  t.field({
    type: [PluginRef],
    description: `The plugin catalog, by id. At most ${MAX_PAGE} per page; pass the last id as \`after\` for the next page.`,
    args: { first: t.arg.int(), after: t.arg.string() },
    complexity: pagedComplexity,
    resolve: (_root, args, { plugins }) =>
      plugins
        .list()
        .sort((a, b) => a.manifest.id.localeCompare(b.manifest.id))
        .filter((plugin) => !args.after || plugin.manifest.id > args.after)
        .slice(0, pageSize(args.first)),
  }),
);

const InstalledPluginRef = builder.objectRef<PluginInstallation>('InstalledPlugin').implement({
  fields: (t) => ({
    pluginId: t.exposeString('pluginId'),
    version: t.exposeString('pluginVersion'),
    enabled: t.exposeBoolean('enabled'),
    config: t.field({
      type: 'JSON',
      description: 'The validated config; values under keys containing secret, token or password are masked.',
      resolve: (installation) => maskSecrets(installation.config),
    }),
    installedAt: t.expose('installedAt', { type: 'DateTime' }),
    plugin: t.field({
      type: PluginRef,
      nullable: true,
      description: 'The catalog entry; null if this deployment no longer offers the plugin.',
      resolve: (installation, _args, { plugins }) => plugins.get(installation.pluginId) ?? null,
    }),
  }),
});

builder.objectField(SubAccountRef, 'installedPlugins', (t) =>
  t.loadableList({
    type: InstalledPluginRef,
    description: `By plugin id. At most ${MAX_PAGE} per page; pass the last pluginId as \`after\` for the next page.`,
    args: { first: t.arg.int(), after: t.arg.string() },
    complexity: pagedComplexity,
    byPath: true,
    load: async (ids: string[], { em }, args) =>
      (await firstPerParent(em, 'plugin_installations', ids, args)).map((rows) => rows.map((row) => em.map(PluginInstallation, row))),
    resolve: (subAccount) => subAccount.id,
  }),
);

const InstallPluginInput = builder.inputType('InstallPluginInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    pluginId: t.string({ required: true }),
    config: t.field({ type: 'JSON', description: "Checked against the plugin's config schema; problems are reported under config.<key>." }),
  }),
});

const InstallPluginPayload = builder.objectRef<{ installedPlugin: PluginInstallation }>('InstallPluginPayload').implement({
  fields: (t) => ({ installedPlugin: t.field({ type: InstalledPluginRef, resolve: (payload) => payload.installedPlugin }) }),
});

builder.mutationField('installPlugin', (t) =>
  t.field({
    type: InstallPluginPayload,
    description: 'Installs a plugin into a sub-account, or reconfigures (and re-enables) it (agency keys only).',
    errors: { types: [ValidationError, NotFoundError, ForbiddenError] },
    args: { input: t.arg({ type: InstallPluginInput, required: true }) },
    resolve: async (_root, { input }, { em, plugins, viewer }) => ({
      installedPlugin: unwrap(await installPlugin(em, plugins, viewer, { subAccountId: input.subAccountId, pluginId: input.pluginId, config: input.config ?? {} })),
    }),
  }),
);
