import { editLocally } from '@mctb/control';
import { builder } from '../builder.js';
import { unwrap, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { ProvisioningRef } from './provisioning.js';

// A client's own changes to what its snapshot gave it; its own (sub-account) key may make them.
const errors = { types: [ValidationError, NotFoundError, ForbiddenError] };

builder.mutationFields((t) => ({
  editLocalTemplate: t.field({
    type: ProvisioningRef,
    description:
      "Changes one of the sub-account's templates for this sub-account only. It wins over the snapshot's, and upgrades keep it, reporting a conflict when the newer version changes the same template.",
    errors,
    args: {
      subAccountId: t.arg.id({ required: true }),
      key: t.arg.string({ required: true }),
      body: t.arg.string({ required: true, description: 'Liquid source, checked like a snapshot template.' }),
    },
    resolve: async (_root, args, { em, viewer }) => unwrap(await editLocally(em, viewer, args.subAccountId, { kind: 'template', key: args.key, body: args.body })),
  }),
  editLocalBusinessHours: t.field({
    type: ProvisioningRef,
    description: "Sets the sub-account's own business hours ({ timeZone?, weekly, closed? } as in a snapshot; null: none), kept across upgrades.",
    errors,
    args: { subAccountId: t.arg.id({ required: true }), hours: t.arg({ type: 'JSON' }) },
    resolve: async (_root, args, { em, viewer }) => unwrap(await editLocally(em, viewer, args.subAccountId, { kind: 'business_hours', hours: args.hours ?? null })),
  }),
  revertLocalEdit: t.field({
    type: ProvisioningRef,
    description: "Drops a local edit (path templates.<key> or businessHours): the sub-account runs its version's again.",
    errors,
    args: { subAccountId: t.arg.id({ required: true }), path: t.arg.string({ required: true }) },
    resolve: async (_root, args, { em, viewer }) => unwrap(await editLocally(em, viewer, args.subAccountId, { kind: 'revert', path: args.path })),
  }),
}));
