import { updateOwner } from '@mctb/control';
import type { SubAccount } from '@mctb/db';
import { builder } from '../builder.js';
import { unwrap, NotFoundError, ValidationError } from '../errors.js';
import { SubAccountRef } from './sub-account.js';

const OwnerRef = builder.objectRef<SubAccount>('Owner').implement({
  description: 'Who `owner` means in automations: notify steps write to these, tasks are assigned to "owner".',
  fields: (t) => ({
    email: t.string({ nullable: true, resolve: (subAccount) => subAccount.ownerEmail }),
    phone: t.string({ nullable: true, description: 'E.164.', resolve: (subAccount) => subAccount.ownerPhone }),
  }),
});

builder.objectField(SubAccountRef, 'owner', (t) => t.field({ type: OwnerRef, resolve: (subAccount) => subAccount }));

const UpdateOwnerInput = builder.inputType('UpdateOwnerInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    email: t.string({ description: 'Omitted: unchanged; null or "": cleared.' }),
    phone: t.string({ description: 'A phone number (E.164 or national); omitted: unchanged; null or "": cleared.' }),
  }),
});

const UpdateOwnerPayload = builder.objectRef<{ subAccount: SubAccount }>('UpdateOwnerPayload').implement({
  fields: (t) => ({ subAccount: t.field({ type: SubAccountRef, resolve: (payload) => payload.subAccount }) }),
});

builder.mutationField('updateOwner', (t) =>
  t.field({
    type: UpdateOwnerPayload,
    description: "Sets the business owner's e-mail and mobile, which automations notify.",
    errors: { types: [ValidationError, NotFoundError] },
    args: { input: t.arg({ type: UpdateOwnerInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer }) => ({ subAccount: unwrap(await updateOwner(em, viewer, input)) }),
  }),
);
