import { provisionSnapshot, type AppliedVersionOutcome } from '@mctb/control';
import { Provisioning } from '@mctb/db';
import { builder } from '../builder.js';
import { unwrap, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { SnapshotVersionRef } from './snapshot.js';
import { SubAccountRef } from './sub-account.js';

export const CustomValueRef = builder.objectRef<{ key: string; value: string }>('CustomValue').implement({
  fields: (t) => ({ key: t.exposeString('key'), value: t.exposeString('value') }),
});

const LocalEditRef = builder.objectRef<{ path: string; value: unknown }>('LocalEdit').implement({
  fields: (t) => ({
    path: t.exposeString('path', { description: 'templates.<key> or businessHours.' }),
    value: t.field({ type: 'JSON', nullable: true, resolve: (edit) => edit.value ?? null }),
  }),
});

/** A local edit an upgrade kept although the newer version changes the same thing. */
export const ConflictRef = builder.objectRef<{ path: string; message: string }>('ProvisioningConflict').implement({
  fields: (t) => ({ path: t.exposeString('path'), message: t.exposeString('message') }),
});

export const ProvisioningRef = builder.objectRef<Provisioning>('Provisioning').implement({
  description: 'The snapshot version a sub-account runs, with that client’s own custom values.',
  fields: (t) => ({
    snapshotVersion: t.field({ type: SnapshotVersionRef, resolve: (provisioning) => provisioning.snapshotVersion }),
    customValues: t.field({
      type: [CustomValueRef],
      description: 'Every value the snapshot declares, after defaults were applied.',
      // In the order the snapshot declares them (the jsonb column doesn't keep key order).
      resolve: ({ customValues, snapshotVersion }) => {
        const declared = snapshotVersion.definition.customValues.map((value) => value.key);
        const rank = (key: string) => (declared.includes(key) ? declared.indexOf(key) : declared.length);
        return Object.keys(customValues)
          .sort((x, y) => rank(x) - rank(y) || x.localeCompare(y))
          .map((key) => ({ key, value: customValues[key] ?? '' }));
      },
    }),
    provisionedAt: t.expose('provisionedAt', { type: 'DateTime' }),
    localEdits: t.field({
      type: [LocalEditRef],
      description: "What the sub-account changed after provisioning (templates, hours): these win over the version's, and upgrades keep them.",
      resolve: ({ localEdits }) => [
        ...Object.entries(localEdits.templates ?? {}).map(([key, body]) => ({ path: `templates.${key}`, value: body as unknown })),
        ...(localEdits.businessHours !== undefined ? [{ path: 'businessHours', value: localEdits.businessHours as unknown }] : []),
      ],
    }),
  }),
});

builder.objectField(SubAccountRef, 'provisioning', (t) =>
  t.loadable({
    type: ProvisioningRef,
    nullable: true,
    description: 'Null until a snapshot is provisioned into the sub-account.',
    load: (ids: string[], { em }) => em.find(Provisioning, { subAccount: { $in: ids } }, { populate: ['snapshotVersion'] }),
    sort: (provisioning) => provisioning.subAccount.id,
    resolve: (subAccount) => subAccount.id,
  }),
);

export const CustomValueInput = builder.inputType('CustomValueInput', {
  fields: (t) => ({ key: t.string({ required: true }), value: t.string({ required: true }) }),
});

const ProvisionSnapshotInput = builder.inputType('ProvisionSnapshotInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    snapshotVersionId: t.id({ required: true }),
    customValues: t.field({ type: [CustomValueInput], defaultValue: [], description: "This client's values; declared defaults fill the rest." }),
  }),
});

const ProvisionSnapshotPayload = builder.objectRef<AppliedVersionOutcome>('ProvisionSnapshotPayload').implement({
  fields: (t) => ({
    provisioning: t.field({ type: ProvisioningRef, resolve: (payload) => payload.provisioning }),
    changed: t.exposeBoolean('changed', { description: 'False when the sub-account already ran this version with these values.' }),
    previousVersion: t.exposeInt('previousVersion', { nullable: true, description: 'The version it ran before; null on its first provisioning.' }),
    conflicts: t.field({ type: [ConflictRef], description: 'Local edits the newer version also changes: kept as the sub-account set them.', resolve: (payload) => payload.conflicts }),
  }),
});

builder.mutationField('provisionSnapshot', (t) =>
  t.field({
    type: ProvisionSnapshotPayload,
    description: "Applies a snapshot version to one sub-account (installing the plugins it requires); agency keys only. An upgrade keeps the client's custom values (given ones win) and local edits. Re-running the same request changes nothing. For many sub-accounts, use startProvisioning.",
    errors: { types: [ValidationError, NotFoundError, ForbiddenError] },
    args: { input: t.arg({ type: ProvisionSnapshotInput, required: true }) },
    resolve: async (_root, { input }, { em, plugins, viewer }) => {
      const customValues = customValuesOf(input.customValues ?? [], 'customValues');
      return unwrap(
        await provisionSnapshot(em, plugins, viewer, { subAccountId: input.subAccountId, snapshotVersionId: input.snapshotVersionId, customValues }),
      );
    },
  }),
);

/** Key/value pairs as a record; a key given twice is refused at `<path>.<key>`. */
export function customValuesOf(pairs: readonly { key: string; value: string }[], path: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const { key, value } of pairs) {
    if (Object.hasOwn(values, key)) throw new ValidationError([{ path: `${path}.${key}`, message: `"${key}" is given more than once` }]);
    values[key] = value;
  }
  return values;
}
