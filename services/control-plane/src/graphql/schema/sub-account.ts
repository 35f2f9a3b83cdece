import { createSubAccount, findSubAccountInScope, listSubAccounts } from '@mctb/control';
import { PhoneNumber, type SubAccount } from '@mctb/db';
import { builder } from '../builder.js';
import { unwrap, ForbiddenError, ValidationError } from '../errors.js';

export const PhoneNumberRef = builder.objectRef<PhoneNumber>('PhoneNumber').implement({
  description: 'A provider number callers dial; it rings exactly one sub-account.',
  fields: (t) => ({
    e164: t.exposeString('e164'),
    smsCapable: t.exposeBoolean('smsCapable'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const SubAccountRef = builder.objectRef<SubAccount>('SubAccount').implement({
  description: 'A client business of the agency: its numbers, settings, snapshot, plugins and activity.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    timeZone: t.exposeString('timeZone', { description: 'IANA time zone, e.g. "America/Chicago".' }),
    forwardingNumber: t.exposeString('forwardingNumber', { description: "The business's own phone (E.164), where calls are forwarded." }),
    incomingCallTimeout: t.exposeInt('incomingCallTimeout', { description: 'Seconds the forwarded call rings before it counts as missed.' }),
    smsProvider: t.exposeString('smsProvider', { description: '"outbox" (development) or "twilio".' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    // Batched: listing many sub-accounts loads all their numbers in one query.
    phoneNumbers: t.loadableGroup({
      type: PhoneNumberRef,
      load: (ids: string[], { em }) => em.find(PhoneNumber, { subAccount: { $in: ids } }, { orderBy: { e164: 'asc' } }),
      group: (phoneNumber) => phoneNumber.subAccount.id,
      resolve: (subAccount) => subAccount.id,
    }),
  }),
});

builder.queryFields((t) => ({
  subAccounts: t.field({
    type: [SubAccountRef],
    description: 'Every sub-account this key may see: all of the agency, or just its own for a sub-account key.',
    resolve: (_root, _args, { em, viewer }) => listSubAccounts(em, viewer),
  }),
  subAccount: t.field({
    type: SubAccountRef,
    nullable: true,
    description: 'Null when the id is unknown or not visible to this key.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { em, viewer }) => findSubAccountInScope(em, viewer, id),
  }),
}));

const CreateSubAccountInput = builder.inputType('CreateSubAccountInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    timeZone: t.string({ required: true, description: 'IANA time zone, e.g. "America/New_York".' }),
    twilioNumber: t.string({ required: true, description: 'The provider number callers dial; not already used by a sub-account.' }),
    forwardingNumber: t.string({ required: true, description: "The business's own phone, where calls are forwarded." }),
    incomingCallTimeout: t.int({ description: 'Seconds to ring the business (5-60; 15-20 recommended, default 18).' }),
    smsProvider: t.string({ description: '"outbox" (default) or "twilio".' }),
  }),
});

const CreateSubAccountPayload = builder
  .objectRef<{ subAccount: SubAccount; phoneNumber: PhoneNumber; warnings: string[] }>('CreateSubAccountPayload')
  .implement({
    fields: (t) => ({
      subAccount: t.field({ type: SubAccountRef, resolve: (payload) => payload.subAccount }),
      phoneNumber: t.field({ type: PhoneNumberRef, resolve: (payload) => payload.phoneNumber }),
      warnings: t.exposeStringList('warnings', { description: 'Accepted but risky settings, e.g. a ring timeout above 20 s.' }),
    }),
  });

builder.mutationField('createSubAccount', (t) =>
  t.field({
    type: CreateSubAccountPayload,
    errors: { types: [ValidationError, ForbiddenError] },
    args: { input: t.arg({ type: CreateSubAccountInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer }) =>
      unwrap(
        await createSubAccount(em, viewer, {
          ...input,
          incomingCallTimeout: input.incomingCallTimeout ?? undefined,
          smsProvider: input.smsProvider ?? undefined,
        }),
      ),
  }),
);
