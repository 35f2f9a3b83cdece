import { renderMessage, sendReply, sendTestMessage, type ManualMessageSent, type RenderedMessage } from '@mctb/control';
import { builder } from '../builder.js';
import { unwrap, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { MessageRef } from './activity.js';

type MessageSegments = RenderedMessage['segments'];

// The test message and a team member's reply (DESIGN §4): rendered and measured like the texts the
// automations send, and sent exactly once per idempotency key through the same sender.

const SmsEncodingRef = builder.enumType('SmsEncoding', {
  description: 'GSM_7: the GSM 03.38 alphabet, 160 characters in one segment, 153 per part. UCS_2: anything else (an emoji, a curly quote), 70 and 67.',
  values: { GSM_7: { value: 'GSM-7' }, UCS_2: { value: 'UCS-2' } } as const,
});

const errors = { types: [ValidationError, NotFoundError, ForbiddenError] };

/** Encoding and segment fields shared by the preview and the send payloads. */
const MeasuredTextRef = builder.interfaceRef<{ segments: MessageSegments; warnings: string[] }>('MeasuredText').implement({
  description: 'A text with how it travels as SMS: encoding, length and segments, and what to know before sending it.',
  fields: (t) => ({
    encoding: t.field({ type: SmsEncodingRef, resolve: (parent) => parent.segments.encoding }),
    characters: t.int({ description: 'Characters as a reader counts them (an emoji is one).', resolve: (parent) => parent.segments.characters }),
    units: t.int({
      description: 'Length in the encoding: GSM-7 septets (€ { } [ ] ~ ^ \\ | count two) or UCS-2 code units (an emoji counts two).',
      resolve: (parent) => parent.segments.units,
    }),
    segments: t.int({ description: 'SMS segments the text is billed as.', resolve: (parent) => parent.segments.segments }),
    nonGsmCharacters: t.stringList({ description: 'The characters that forced UCS-2, each once; empty for GSM-7.', resolve: (parent) => parent.segments.nonGsmCharacters }),
    warnings: t.stringList({ description: 'More than one segment, what forced UCS-2, an empty message.', resolve: (parent) => parent.warnings }),
  }),
});

const MessagePreviewRef = builder.objectRef<RenderedMessage>('MessagePreview').implement({
  interfaces: [MeasuredTextRef],
  description: 'A template rendered as the sub-account would send it, and how it would be billed.',
  fields: (t) => ({
    body: t.exposeString('body'),
    sampleContact: t.boolean({ description: 'True when the sample contact (Jamie Rivera) stood in for a real one.', resolve: (preview) => preview.contact === null }),
  }),
});

const ManualMessageStatusRef = builder.enumType('ManualMessageStatus', {
  description: 'SENT: the provider accepted it (see message.status for delivery). REFUSED: the provider or the opt-out refused it. FAILED: retries ran out. PENDING: still being retried; message shows how it ends.',
  values: { SENT: { value: 'sent' }, REFUSED: { value: 'refused' }, FAILED: { value: 'failed' }, PENDING: { value: 'pending' } } as const,
});

const SentMessagePayload = builder.objectRef<ManualMessageSent>('SentMessagePayload').implement({
  description: 'A text a person sent (a test message, a reply), with how it travels as SMS.',
  interfaces: [MeasuredTextRef],
  fields: (t) => ({
    sentMessage: t.field({ type: MessageRef, nullable: true, description: 'The stored outbound message (id, status); null only while a pending send has not stored it yet.', resolve: (sent) => sent.message }),
    status: t.field({ type: ManualMessageStatusRef, resolve: (sent) => sent.outcome.kind }),
    reason: t.string({ nullable: true, description: 'Why it was refused or failed.', resolve: (sent) => ('reason' in sent.outcome ? sent.outcome.reason : null) }),
    alreadySent: t.boolean({
      description: 'True when this idempotency key had already sent the message: nothing was sent again.',
      resolve: (sent) => sent.outcome.kind === 'sent' && sent.outcome.alreadySent,
    }),
    body: t.exposeString('body'),
  }),
});

builder.queryField('previewMessage', (t) =>
  t.field({
    type: MessagePreviewRef,
    description:
      "Renders a template with the sub-account's custom values, location and business hours for a contact (or the sample contact) and reports the encoding, segments and warnings. Give either `template` (inline Liquid) or `templateKey` (a template of the provisioned snapshot, local edits applied).",
    errors,
    args: {
      subAccountId: t.arg.id({ required: true }),
      template: t.arg.string({ description: 'Inline Liquid, checked like a snapshot template.' }),
      templateKey: t.arg.string({ description: "A key of the sub-account's provisioned snapshot templates." }),
      contactId: t.arg.id({ description: 'Omitted: the sample contact.' }),
    },
    resolve: async (_root, args, { em, viewer }) => unwrap(await renderMessage(em, viewer, args)),
  }),
);

const SendTestMessageInput = builder.inputType('SendTestMessageInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    to: t.string({ required: true, description: 'E.164, e.g. +15125550123.' }),
    template: t.string({ description: 'Inline Liquid; or give templateKey.' }),
    templateKey: t.string({ description: "A key of the provisioned snapshot's templates." }),
    contactId: t.id({ description: 'Render for this contact; omitted: the sample contact.' }),
    idempotencyKey: t.string({ required: true, description: 'Chosen by the client, e.g. a UUID: the same request posted again sends nothing more.' }),
  }),
});

const SendReplyInput = builder.inputType('SendReplyInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    contactId: t.id({ required: true }),
    body: t.string({ required: true, description: 'The text, as typed (at most 1,600 characters).' }),
    idempotencyKey: t.string({ required: true, description: 'Chosen by the client, e.g. a UUID: the same request posted again sends nothing more.' }),
  }),
});

builder.mutationFields((t) => ({
  sendTestMessage: t.field({
    type: SentMessagePayload,
    description:
      'Renders a template like previewMessage and texts it to `to`, exactly once per idempotency key. A number that is a contact of the sub-account gets it in their conversation, and is refused when opted out.',
    errors,
    args: { input: t.arg({ type: SendTestMessageInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer, manualMessages }) => unwrap(await sendTestMessage(em, viewer, manualMessages, input)),
  }),
  sendReply: t.field({
    type: SentMessagePayload,
    description:
      "A team member's reply in a contact's conversation, exactly once per idempotency key. The contact's pending text-back is cancelled and its automation's follow-ups stop (a person has taken over). Refused when the contact opted out.",
    errors,
    args: { input: t.arg({ type: SendReplyInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer, manualMessages }) => unwrap(await sendReply(em, viewer, manualMessages, input)),
  }),
}));
