import { installPlugin, setPluginEnabled, uninstallPlugin, upgradePlugin } from '@mctb/control';
import { firstPerParent, MAX_PAGE, PluginDelivery, PluginInstallation } from '@mctb/db';
import { pagedComplexity } from '../pagination.js';
import { builder } from '../builder.js';
import { unwrap, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { maskSecrets } from '../mask.js';
import { catalogOf, PluginReleaseRef } from './plugin-marketplace.js';
import { SubAccountRef } from './sub-account.js';

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
      type: PluginReleaseRef,
      nullable: true,
      description: 'The installed release; null if the marketplace no longer offers it.',
      resolve: async (installation, _args, context) => (await catalogOf(context)).release(installation.pluginId, installation.pluginVersion) ?? null,
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

const PluginDeliveryRef = builder.objectRef<PluginDelivery>('PluginDelivery').implement({
  description: 'One call to a plugin (a hook or a step, one attempt): what it answered and how long it took.',
  fields: (t) => ({
    deliveryId: t.exposeString('deliveryId', { description: 'The Idempotency-Key the plugin received; the same on every attempt.' }),
    attempt: t.exposeInt('attempt'),
    pluginId: t.exposeString('pluginId'),
    pluginVersion: t.exposeString('pluginVersion'),
    kind: t.exposeString('kind', { description: '"hook" or "step".' }),
    name: t.exposeString('name', { description: 'The hook (e.g. textback.beforeSend) or the step.' }),
    callSid: t.exposeString('callSid', { nullable: true }),
    httpStatus: t.exposeInt('httpStatus', { nullable: true, description: 'Null for first-party plugins and for requests that got no answer.' }),
    latencyMs: t.exposeInt('latencyMs'),
    outcome: t.exposeString('outcome', { description: 'ok, vetoed, reclassified, retrying, failed_open, failed_closed or failed.' }),
    detail: t.exposeString('detail'),
    at: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectField(SubAccountRef, 'pluginDeliveries', (t) =>
  t.field({
    type: [PluginDeliveryRef],
    description: `Calls to plugins in this sub-account, newest first: why a text was vetoed, a step failed, a hook timed out. At most ${MAX_PAGE} per page.`,
    args: { first: t.arg.int(), pluginId: t.arg.string(), callSid: t.arg.string() },
    complexity: pagedComplexity,
    resolve: (subAccount, args, { em }) =>
      em.find(
        PluginDelivery,
        { subAccountId: subAccount.id, ...(args.pluginId ? { pluginId: args.pluginId } : {}), ...(args.callSid ? { callSid: args.callSid } : {}) },
        { orderBy: { createdAt: 'desc', attempt: 'desc' }, limit: Math.min(args.first ?? 50, MAX_PAGE) },
      ),
  }),
);

const InstallPluginInput = builder.inputType('InstallPluginInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    pluginId: t.string({ required: true }),
    version: t.string({ description: 'A version or semver range ("^1.2.0"); the highest published release in it is installed. Default: the latest.' }),
    config: t.field({ type: 'JSON', description: "Checked against the release's config schema; problems are reported under config.<key>." }),
  }),
});

const InstallPluginPayload = builder.objectRef<{ installedPlugin: PluginInstallation }>('InstallPluginPayload').implement({
  fields: (t) => ({ installedPlugin: t.field({ type: InstalledPluginRef, resolve: (payload) => payload.installedPlugin }) }),
});

const UpgradePluginInput = builder.inputType('UpgradePluginInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    pluginId: t.string({ required: true }),
    version: t.string({ description: 'A version or range; default: the latest release. An exact older version moves the installation back.' }),
    config: t.field({ type: 'JSON', description: "Default: the installation's config, checked against the new release's schema." }),
  }),
});

const UpgradePluginPayload = builder.objectRef<{ installation: PluginInstallation; previousVersion: string }>('UpgradePluginPayload').implement({
  fields: (t) => ({
    installedPlugin: t.field({ type: InstalledPluginRef, resolve: (payload) => payload.installation }),
    previousVersion: t.exposeString('previousVersion'),
  }),
});

const PluginInSubAccountInput = builder.inputType('PluginInSubAccountInput', {
  fields: (t) => ({ subAccountId: t.id({ required: true }), pluginId: t.string({ required: true }) }),
});

const UninstallPluginPayload = builder.objectRef<{ pluginId: string }>('UninstallPluginPayload').implement({
  fields: (t) => ({ pluginId: t.exposeString('pluginId') }),
});

const errors = { types: [ValidationError, NotFoundError, ForbiddenError] };

builder.mutationFields((t) => ({
  installPlugin: t.field({
    type: InstallPluginPayload,
    description: 'Installs a plugin release into a sub-account, or reconfigures (and re-enables) it (agency keys only).',
    errors,
    args: { input: t.arg({ type: InstallPluginInput, required: true }) },
    resolve: async (_root, { input }, { em, plugins, viewer }) => ({
      installedPlugin: unwrap(
        await installPlugin(em, plugins, viewer, { subAccountId: input.subAccountId, pluginId: input.pluginId, version: input.version ?? null, config: input.config ?? {} }),
      ),
    }),
  }),
  upgradePlugin: t.field({
    type: UpgradePluginPayload,
    description: 'Moves an installation to another release (default: the latest), keeping its config unless given; the config is checked against the new schema.',
    errors,
    args: { input: t.arg({ type: UpgradePluginInput, required: true }) },
    resolve: async (_root, { input }, { em, plugins, viewer }) =>
      unwrap(
        await upgradePlugin(em, plugins, viewer, {
          subAccountId: input.subAccountId,
          pluginId: input.pluginId,
          version: input.version ?? null,
          ...(input.config !== undefined && input.config !== null ? { config: input.config } : {}),
        }),
      ),
  }),
  disablePlugin: t.field({
    type: InstallPluginPayload,
    description: 'Stops an installation (hooks, steps, voice routing) and keeps its config.',
    errors,
    args: { input: t.arg({ type: PluginInSubAccountInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer }) => ({ installedPlugin: unwrap(await setPluginEnabled(em, viewer, { ...input, enabled: false })) }),
  }),
  enablePlugin: t.field({
    type: InstallPluginPayload,
    errors,
    args: { input: t.arg({ type: PluginInSubAccountInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer }) => ({ installedPlugin: unwrap(await setPluginEnabled(em, viewer, { ...input, enabled: true })) }),
  }),
  uninstallPlugin: t.field({
    type: UninstallPluginPayload,
    description: 'Removes an installation and its config. Runs already started keep the plugins they began with.',
    errors,
    args: { input: t.arg({ type: PluginInSubAccountInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer }) => unwrap(await uninstallPlugin(em, viewer, input)),
  }),
}));
