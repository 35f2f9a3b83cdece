import { provisionSnapshot } from '@mctb/control';
import { Provisioning } from '@mctb/db';
import { builder } from '../builder.js';
import { unwrap, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { SnapshotVersionRef } from './snapshot.js';
import { SubAccountRef } from './sub-account.js';

const CustomValueRef = builder.objectRef<{ key: string; value: string }>('CustomValue').implement({
  fields: (t) => ({ key: t.exposeString('key'), value: t.exposeString('value') }),
});

const ProvisioningRef = builder.objectRef<Provisioning>('Provisioning').implement({
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

const CustomValueInput = builder.inputType('CustomValueInput', {
  fields: (t) => ({ key: t.string({ required: true }), value: t.string({ required: true }) }),
});

const ProvisionSnapshotInput = builder.inputType('ProvisionSnapshotInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    snapshotVersionId: t.id({ required: true }),
    customValues: t.field({ type: [CustomValueInput], defaultValue: [], description: "This client's values; declared defaults fill the rest." }),
  }),
});

const ProvisionSnapshotPayload = builder.objectRef<{ provisioning: Provisioning; changed: boolean }>('ProvisionSnapshotPayload').implement({
  fields: (t) => ({
    provisioning: t.field({ type: ProvisioningRef, resolve: (payload) => payload.provisioning }),
    changed: t.exposeBoolean('changed', { description: 'False when the sub-account already ran this version with these values.' }),
  }),
});

builder.mutationField('provisionSnapshot', (t) =>
  t.field({
    type: ProvisionSnapshotPayload,
    description: 'Applies a snapshot version to a sub-account (installing the plugins it requires); agency keys only. Re-running the same request changes nothing.',
    errors: { types: [ValidationError, NotFoundError, ForbiddenError] },
    args: { input: t.arg({ type: ProvisionSnapshotInput, required: true }) },
    resolve: async (_root, { input }, { em, plugins, viewer }) => {
      const customValues: Record<string, string> = {};
      for (const { key, value } of input.customValues ?? []) {
        if (Object.hasOwn(customValues, key)) throw new ValidationError([{ path: `customValues.${key}`, message: `"${key}" is given more than once` }]);
        customValues[key] = value;
      }
      return unwrap(
        await provisionSnapshot(em, plugins, viewer, { subAccountId: input.subAccountId, snapshotVersionId: input.snapshotVersionId, customValues }),
      );
    },
  }),
);
