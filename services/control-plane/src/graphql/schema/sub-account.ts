import { createSubAccount, findSubAccountInScope, listSubAccounts, updateCallHandling } from '@mctb/control';
import { firstPerParent, MAX_PAGE, PhoneNumber, type SubAccount } from '@mctb/db';
import { PAGE_DOC, pagedComplexity } from '../pagination.js';
import { builder } from '../builder.js';
import { unwrap, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';

export const PhoneNumberRef = builder.objectRef<PhoneNumber>('PhoneNumber').implement({
  description: 'A provider number callers dial; it rings exactly one sub-account.',
  fields: (t) => ({
    e164: t.exposeString('e164'),
    smsCapable: t.exposeBoolean('smsCapable'),
    accountSid: t.exposeString('accountSid', { nullable: true, description: 'The Twilio account holding the number, as checked when it was claimed; null: claimed unchecked (platform account).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CallScreeningRef = builder.objectRef<SubAccount>('CallScreening').implement({
  description: "How the forwarded call is screened, so the carrier's voicemail never counts as an answer.",
  fields: (t) => ({
    pressOneToAccept: t.exposeBoolean('pressOneToAccept', { description: 'Whoever picks up must press 1 before the caller is connected.' }),
    machineDetection: t.exposeBoolean('machineDetection', { description: "Twilio's answering-machine detection on the forwarded call." }),
    minAnsweredSeconds: t.exposeInt('minAnsweredSeconds', { description: 'A forwarded call connected for less than this is a missed call (0: off).' }),
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
    screening: t.field({ type: CallScreeningRef, resolve: (subAccount) => subAccount }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    // Batched: listing many sub-accounts loads all their numbers in one query.
    phoneNumbers: t.loadableList({
      type: PhoneNumberRef,
      description: `By number. At most ${MAX_PAGE} per page; pass the last e164 as \`after\` for the next page.`,
      args: { first: t.arg.int(), after: t.arg.string() },
      complexity: pagedComplexity,
      byPath: true,
      load: async (ids: string[], { em }, args) => (await firstPerParent(em, 'phone_numbers', ids, args)).map((rows) => rows.map((row) => em.map(PhoneNumber, row))),
      resolve: (subAccount) => subAccount.id,
    }),
  }),
});

builder.queryFields((t) => ({
  subAccounts: t.field({
    type: [SubAccountRef],
    description: `The sub-accounts this key may see, oldest first: all of the agency, or just its own for a sub-account key. ${PAGE_DOC}`,
    args: { first: t.arg.int(), after: t.arg.id() },
    complexity: pagedComplexity,
    resolve: (_root, args, { em, viewer }) => listSubAccounts(em, viewer, args),
  }),
  subAccount: t.field({
    type: SubAccountRef,
    nullable: true,
    description: 'Null when the id is unknown or not visible to this key.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { em, viewer }) => findSubAccountInScope(em, viewer, id),
  }),
}));

const CallScreeningInput = builder.inputType('CallScreeningInput', {
  description: 'Omitted fields keep their current value.',
  fields: (t) => ({
    pressOneToAccept: t.boolean(),
    machineDetection: t.boolean(),
    minAnsweredSeconds: t.int({ description: '0-60.' }),
  }),
});

const CreateSubAccountInput = builder.inputType('CreateSubAccountInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    timeZone: t.string({ required: true, description: 'IANA time zone, e.g. "America/New_York".' }),
    twilioNumber: t.string({
      required: true,
      description: "The provider number callers dial: not already a sub-account's, held at Twilio by the agency's account (else the platform's), with voice and SMS.",
    }),
    forwardingNumber: t.string({ required: true, description: "The business's own phone, where calls are forwarded." }),
    incomingCallTimeout: t.int({ description: 'Seconds to ring the business (5-60, default 18); above 20 only with pressOneToAccept.' }),
    smsProvider: t.string({ description: '"outbox" (default) or "twilio".' }),
    screening: t.field({ type: CallScreeningInput, description: 'Defaults: machine detection on, press 1 off, no minimum.' }),
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
    resolve: async (_root, { input }, { em, viewer, providerAccounts }) =>
      unwrap(
        await createSubAccount(
          em,
          viewer,
          {
            ...input,
            incomingCallTimeout: input.incomingCallTimeout ?? undefined,
            smsProvider: input.smsProvider ?? undefined,
            screening: screeningOf(input.screening),
          },
          providerAccounts,
        ),
      ),
  }),
);

function screeningOf(input: { pressOneToAccept?: boolean | null; machineDetection?: boolean | null; minAnsweredSeconds?: number | null } | null | undefined) {
  return {
    pressOneToAccept: input?.pressOneToAccept ?? undefined,
    machineDetection: input?.machineDetection ?? undefined,
    minAnsweredSeconds: input?.minAnsweredSeconds ?? undefined,
  };
}

const UpdateCallHandlingInput = builder.inputType('UpdateCallHandlingInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    incomingCallTimeout: t.int({ description: 'Seconds to ring the business (5-60); above 20 only with pressOneToAccept.' }),
    screening: t.field({ type: CallScreeningInput }),
  }),
});

const UpdateCallHandlingPayload = builder.objectRef<{ subAccount: SubAccount; warnings: string[] }>('UpdateCallHandlingPayload').implement({
  fields: (t) => ({
    subAccount: t.field({ type: SubAccountRef, resolve: (payload) => payload.subAccount }),
    warnings: t.exposeStringList('warnings'),
  }),
});

builder.mutationField('updateCallHandling', (t) =>
  t.field({
    type: UpdateCallHandlingPayload,
    description: 'Changes how calls ring the business and how a human answer is told from a voicemail (agency keys only).',
    errors: { types: [ValidationError, NotFoundError, ForbiddenError] },
    args: { input: t.arg({ type: UpdateCallHandlingInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer }) =>
      unwrap(
        await updateCallHandling(em, viewer, {
          subAccountId: input.subAccountId,
          incomingCallTimeout: input.incomingCallTimeout ?? undefined,
          screening: screeningOf(input.screening),
        }),
      ),
  }),
);
