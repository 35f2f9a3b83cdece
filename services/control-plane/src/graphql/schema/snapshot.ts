import { findSnapshotVersion, importSnapshot, listSnapshotVersions, type FieldIssue } from '@mctb/control';
import type { SnapshotVersion } from '@mctb/db';
import { builder } from '../builder.js';
import { unwrap, ForbiddenError, ValidationError } from '../errors.js';
import { maskSecrets } from '../mask.js';
import { PAGE_DOC, pagedComplexity } from '../pagination.js';
import { FieldIssueRef } from './errors.js';

// The definition's parts, named through the entity (this service doesn't depend on @mctb/snapshots).
type Definition = SnapshotVersion['definition'];
type SnapshotCustomValue = Definition['customValues'][number];
type SnapshotPlugin = Definition['plugins'][number];
type SnapshotTextBack = Definition['textBack'];

const CustomValueDefinitionRef = builder.objectRef<SnapshotCustomValue>('CustomValueDefinition').implement({
  description: 'A per-client value a snapshot asks for, e.g. the booking link.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Used in templates as custom_values.<key>.' }),
    name: t.exposeString('name'),
    required: t.exposeBoolean('required'),
    default: t.string({ nullable: true, resolve: (value) => value.default ?? null }),
  }),
});

const TemplateRef = builder.objectRef<{ key: string; body: string }>('SnapshotTemplate').implement({
  fields: (t) => ({ key: t.exposeString('key'), body: t.exposeString('body', { description: 'Liquid source.' }) }),
});

const TextBackSettingsRef = builder.objectRef<SnapshotTextBack>('TextBackSettings').implement({
  fields: (t) => ({
    enabled: t.exposeBoolean('enabled'),
    delaySeconds: t.exposeInt('delaySeconds'),
    dedupWindowSeconds: t.exposeInt('dedupWindowSeconds', { description: '0 texts every missed call.' }),
    template: t.exposeString('template', { description: 'Key of the template that is sent.' }),
  }),
});

const RequiredPluginRef = builder.objectRef<SnapshotPlugin>('RequiredPlugin').implement({
  fields: (t) => ({
    pluginId: t.exposeString('id'),
    config: t.field({ type: 'JSON', description: 'Secrets (keys containing secret, token or password) are masked.', resolve: (plugin) => maskSecrets(plugin.config) }),
  }),
});

export const SnapshotVersionRef = builder.objectRef<SnapshotVersion>('SnapshotVersion').implement({
  description: 'One immutable version of a snapshot, as validated when it was imported.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.string({ resolve: (version) => version.definition.metadata.slug }),
    name: t.string({ resolve: (version) => version.definition.metadata.name }),
    version: t.exposeInt('version'),
    description: t.string({ nullable: true, resolve: (version) => version.definition.metadata.description ?? null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    customValues: t.field({ type: [CustomValueDefinitionRef], resolve: (version) => version.definition.customValues }),
    textBack: t.field({ type: TextBackSettingsRef, resolve: (version) => version.definition.textBack }),
    templates: t.field({
      type: [TemplateRef],
      resolve: (version) => Object.entries(version.definition.templates).map(([key, body]) => ({ key, body })),
    }),
    requiredPlugins: t.field({ type: [RequiredPluginRef], resolve: (version) => version.definition.plugins }),
  }),
});

builder.queryFields((t) => ({
  snapshotVersions: t.field({
    type: [SnapshotVersionRef],
    description: `The agency's snapshot versions, by slug, newest version first. ${PAGE_DOC}`,
    args: { first: t.arg.int(), after: t.arg.id() },
    complexity: pagedComplexity,
    resolve: (_root, args, { em, viewer }) => listSnapshotVersions(em, viewer, args),
  }),
  snapshotVersion: t.field({
    type: SnapshotVersionRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { em, viewer }) => findSnapshotVersion(em, viewer, id),
  }),
}));

const ImportSnapshotPayload = builder.objectRef<{ version: SnapshotVersion; created: boolean; warnings: FieldIssue[] }>('ImportSnapshotPayload').implement({
  fields: (t) => ({
    snapshotVersion: t.field({ type: SnapshotVersionRef, resolve: (payload) => payload.version }),
    warnings: t.field({
      type: [FieldIssueRef],
      description: 'What provisioning will refuse until it changes, e.g. a required plugin with no published version in its range yet.',
      resolve: (payload) => payload.warnings,
    }),
    created: t.exposeBoolean('created', { description: 'False when this exact version was already imported (nothing changed).' }),
  }),
});

builder.mutationField('importSnapshot', (t) =>
  t.field({
    type: ImportSnapshotPayload,
    description: 'Validates a snapshot YAML as a whole and stores it as an immutable version; every problem is reported with its path.',
    errors: { types: [ValidationError, ForbiddenError] },
    args: { yaml: t.arg.string({ required: true }) },
    resolve: async (_root, { yaml }, { em, plugins, viewer }) => unwrap(await importSnapshot(em, plugins, viewer, yaml)),
  }),
);
