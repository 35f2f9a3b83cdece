import { Call, Message } from '@mctb/db';
import { ANSWERED_BY, CALL_OUTCOMES, MESSAGE_STATUSES, TEXT_BACK_STATUSES, textBackStandingOf } from '@mctb/domain';
import { builder } from '../builder.js';
import { firstPerParent, MAX_PAGE, MAX_RECENT_PAGE } from '@mctb/db';
import { pagedComplexity, pagedComplexityUpTo } from '../pagination.js';
import { SubAccountRef } from './sub-account.js';

/** GraphQL enum values are UPPER_CASE by convention; each maps to the domain's own value. */
export function enumValues<const T extends string>(values: readonly T[]) {
  return Object.fromEntries(values.map((value) => [value.toUpperCase(), { value }])) as Record<Uppercase<T>, { value: T }>;
}

const CallOutcomeRef = builder.enumType('CallOutcome', { values: enumValues(CALL_OUTCOMES) });
const TextBackStatusRef = builder.enumType('TextBackStatus', { values: enumValues(TEXT_BACK_STATUSES) });
const MessageStatusRef = builder.enumType('MessageStatus', { values: enumValues(MESSAGE_STATUSES) });
const AnsweredByRef = builder.enumType('AnsweredBy', { values: enumValues(ANSWERED_BY) });
const MessageDirectionRef = builder.enumType('MessageDirection', { values: enumValues(['outbound', 'inbound'] as const) });

// Loadable, so a message's call is fetched once per request however many messages point at it.
const CallRef = builder.loadableObject('Call', {
  description: 'An inbound call to one of the sub-account’s numbers; it ends in exactly one outcome.',
  load: (ids: string[], { em }) => em.find(Call, { id: { $in: ids } }),
  sort: (call) => call.id,
  fields: (t) => ({
    id: t.exposeID('id'),
    callSid: t.exposeString('callSid', { description: "The provider's id of the call." }),
    from: t.string({
      nullable: true,
      description: 'The caller in E.164; null for anonymous, restricted or invalid caller IDs (they are never texted).',
      resolve: (call) => call.callerPhone,
    }),
    fromRaw: t.exposeString('fromRaw', { description: 'The caller ID as the carrier reported it.' }),
    untextableReason: t.string({ nullable: true, description: 'Why the caller cannot be texted, when `from` is null.', resolve: (call) => call.untextableReason }),
    to: t.exposeString('toNumber'),
    outcome: t.field({ type: CallOutcomeRef, nullable: true, description: 'Null while the call is in progress.', resolve: (call) => call.outcome }),
    outcomeSource: t.string({
      nullable: true,
      description: 'What reported the outcome: "dial", "recording", "status" or "plugin:<id>".',
      resolve: (call) => call.outcomeSource,
    }),
    outcomeDetail: t.string({
      nullable: true,
      description: 'Why a forwarded call that connected does not count as answered: a machine picked up, it was not accepted with 1, or it was too short.',
      resolve: (call) => call.outcomeDetail,
    }),
    ringSeconds: t.int({ nullable: true, resolve: (call) => call.ringSeconds }),
    connectedSeconds: t.int({ nullable: true, description: 'How long the forwarded call was connected (DialCallDuration).', resolve: (call) => call.connectedSeconds }),
    answeredBy: t.field({ type: AnsweredByRef, nullable: true, description: "Answering-machine detection's verdict on the forwarded call.", resolve: (call) => call.answeredBy }),
    screenAccepted: t.boolean({ description: 'The person who picked up the forwarded call pressed 1 (call screening).', resolve: (call) => call.screenAcceptedAt !== null }),
    recordingUrl: t.string({ nullable: true, resolve: (call) => call.recordingUrl }),
    textBackStatus: t.field({
      type: TextBackStatusRef,
      nullable: true,
      description: 'PENDING while a text-back is on its way; null while the call is in progress.',
      resolve: (call) => textBackStandingOf(call).status,
    }),
    textBackReason: t.string({
      nullable: true,
      description: 'Why a text went out or not (e.g. answered, a dedup window, an opt-out, a plugin veto).',
      resolve: (call) => textBackStandingOf(call).reason,
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    endedAt: t.field({ type: 'DateTime', nullable: true, resolve: (call) => call.endedAt }),
  }),
});

export const MessageRef = builder.objectRef<Message>('Message').implement({
  description: 'A text in a conversation: a text-back or follow-up we sent, or a reply we received.',
  fields: (t) => ({
    id: t.exposeID('id'),
    direction: t.field({ type: MessageDirectionRef, resolve: (message) => message.direction }),
    from: t.exposeString('fromNumber'),
    to: t.exposeString('toNumber'),
    body: t.exposeString('body'),
    status: t.field({ type: MessageStatusRef, resolve: (message) => message.status }),
    provider: t.exposeString('provider'),
    providerMessageId: t.string({ nullable: true, resolve: (message) => message.providerMessageId }),
    errorCode: t.int({ nullable: true, resolve: (message) => message.errorCode }),
    errorMessage: t.string({ nullable: true, resolve: (message) => message.errorMessage }),
    segments: t.exposeInt('segments'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    callSid: t.string({
      nullable: true,
      description: 'The call this text answers, for text-backs.',
      resolve: async (message, _args, context) => (message.call ? (await CallRef.getDataloader(context).load(message.call.id)).callSid : null),
    }),
    call: t.field({ type: CallRef, nullable: true, resolve: (message) => message.call?.id ?? null }),
  }),
});

builder.objectField(CallRef, 'messages', (t) =>
  t.loadableList({
    type: MessageRef,
    description: `The texts sent about this call (text-back, follow-ups), oldest first; at most ${MAX_PAGE}.`,
    args: { first: t.arg.int({ defaultValue: 20 }) },
    complexity: pagedComplexity,
    byPath: true,
    load: async (ids: string[], { em }, args) =>
      (await firstPerParent(em, 'messages', ids, { first: args.first ?? 20 })).map((rows) => rows.map((row) => em.map(Message, row))),
    resolve: (call) => call.id,
  }),
);

builder.objectFields(SubAccountRef, (t) => ({
  calls: t.loadableList({
    type: CallRef,
    description: `Calls, newest first; \`before\` pages back in time. At most ${MAX_RECENT_PAGE} per page.`,
    args: { first: t.arg.int({ defaultValue: 50 }), before: t.arg({ type: 'DateTime' }) },
    complexity: pagedComplexityUpTo(MAX_RECENT_PAGE),
    // byPath batches per place in the query, so the loader gets that place's first/before (and two
    // aliased calls(...) with different arguments are not mixed into one batch).
    byPath: true,
    load: (ids: string[], { em }, args) => em.getRepository(Call).newestPerSubAccount(ids, { first: args.first ?? 50, before: args.before }),
    resolve: (subAccount) => subAccount.id,
  }),
  messages: t.loadableList({
    type: MessageRef,
    description: `Texts in and out, newest first; \`before\` pages back in time. At most ${MAX_RECENT_PAGE} per page.`,
    args: { first: t.arg.int({ defaultValue: 50 }), before: t.arg({ type: 'DateTime' }) },
    complexity: pagedComplexityUpTo(MAX_RECENT_PAGE),
    byPath: true,
    load: (ids: string[], { em }, args) => em.getRepository(Message).newestPerSubAccount(ids, { first: args.first ?? 50, before: args.before }),
    resolve: (subAccount) => subAccount.id,
  }),
}));
