import { blockNumber, unblockNumber } from '@mctb/control';
import { blockedNumbersOf, MAX_PAGE, type BlockedNumber } from '@mctb/db';
import { builder } from '../builder.js';
import { unwrap, NotFoundError, ValidationError } from '../errors.js';
import { pagedComplexity } from '../pagination.js';
import { SubAccountRef } from './sub-account.js';

const BlockedNumberRef = builder.objectRef<BlockedNumber>('BlockedNumber').implement({
  description: "A number on the sub-account's block list: its missed calls are recorded as skipped and never texted.",
  fields: (t) => ({
    e164: t.exposeString('e164'),
    reason: t.string({ nullable: true, resolve: (blocked) => blocked.reason }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectField(SubAccountRef, 'blockedNumbers', (t) =>
  t.loadableList({
    type: BlockedNumberRef,
    description: `The block list, by number. At most ${MAX_PAGE} per page; pass the last e164 as \`after\` for the next page.`,
    args: { first: t.arg.int(), after: t.arg.string() },
    complexity: pagedComplexity,
    byPath: true,
    load: (ids: string[], { em }, args) => blockedNumbersOf(em, ids, args),
    resolve: (subAccount) => subAccount.id,
  }),
);

const BlockNumberInput = builder.inputType('BlockNumberInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    phone: t.string({ required: true, description: 'E.164, or a US number in any common format.' }),
    reason: t.string({ description: 'At most 200 characters, one line, e.g. "spam".' }),
  }),
});

const BlockNumberPayload = builder.objectRef<{ blockedNumber: BlockedNumber }>('BlockNumberPayload').implement({
  fields: (t) => ({ blockedNumber: t.field({ type: BlockedNumberRef, resolve: (payload) => payload.blockedNumber }) }),
});

builder.mutationField('blockNumber', (t) =>
  t.field({
    type: BlockNumberPayload,
    description: "Puts a caller on the sub-account's block list; blocking a blocked number again replaces its reason.",
    errors: { types: [ValidationError, NotFoundError] },
    args: { input: t.arg({ type: BlockNumberInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer }) => ({ blockedNumber: unwrap(await blockNumber(em, viewer, input)) }),
  }),
);

const UnblockNumberInput = builder.inputType('UnblockNumberInput', {
  fields: (t) => ({ subAccountId: t.id({ required: true }), phone: t.string({ required: true }) }),
});

const UnblockNumberPayload = builder.objectRef<{ e164: string; wasBlocked: boolean }>('UnblockNumberPayload').implement({
  fields: (t) => ({
    e164: t.exposeString('e164'),
    wasBlocked: t.exposeBoolean('wasBlocked', { description: 'False when the number was not on the block list.' }),
  }),
});

builder.mutationField('unblockNumber', (t) =>
  t.field({
    type: UnblockNumberPayload,
    description: "Takes a number off the sub-account's block list.",
    errors: { types: [ValidationError, NotFoundError] },
    args: { input: t.arg({ type: UnblockNumberInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer }) => unwrap(await unblockNumber(em, viewer, input)),
  }),
);
