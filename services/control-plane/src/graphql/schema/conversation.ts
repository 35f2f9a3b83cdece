import { findContact, findSubAccountInScope } from '@mctb/control';
import { ConversationStore, cursorOf, MAX_PAGE, pageSize, type ConversationSummary, type ThreadEvent } from '@mctb/db';
import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { NotFoundError } from '../errors.js';
import { pagedComplexity } from '../pagination.js';
import { enumValues } from './activity.js';
import { ContactRef } from './contact.js';
import { SubAccountRef } from './sub-account.js';

const EventKindRef = builder.enumType('ConversationEventKind', { values: enumValues(['call', 'text', 'system'] as const) });

const LastMessageRef = builder.objectRef<NonNullable<ConversationSummary['lastMessage']>>('ConversationLastMessage').implement({
  fields: (t) => ({
    direction: t.exposeString('direction', { description: '"inbound" (from the contact) or "outbound".' }),
    body: t.exposeString('body'),
    status: t.exposeString('status'),
  }),
});

const ConversationRef = builder.objectRef<ConversationSummary & { subAccountId: string }>('Conversation').implement({
  description: 'A contact\'s conversation in the inbox.',
  fields: (t) => ({
    contact: t.field({ type: ContactRef, resolve: (conversation) => conversation.contactId }),
    lastActivityAt: t.expose('lastActivityAt', { type: 'DateTime' }),
    lastMessage: t.field({ type: LastMessageRef, nullable: true, resolve: (conversation) => conversation.lastMessage }),
    unread: t.exposeInt('unread', { description: 'Texts from the contact since a team member last read the conversation.' }),
    readAt: t.field({ type: 'DateTime', nullable: true, resolve: (conversation) => conversation.readAt }),
    cursor: t.string({ description: 'Pass as `after` for the conversations that follow this one.', resolve: (conversation) => cursorOf(conversation.lastActivityAt, conversation.contactId) }),
  }),
});

const ConversationEventRef = builder.objectRef<ThreadEvent>('ConversationEvent').implement({
  description: 'One entry of a contact\'s thread: a call, a text either way, or something the platform did or decided.',
  fields: (t) => ({
    kind: t.field({ type: EventKindRef, resolve: (event) => event.kind }),
    at: t.expose('at', { type: 'DateTime' }),
    cursor: t.string({ description: 'Pass as `after` for the older entries.', resolve: (event) => cursorOf(event.at, event.id) }),
    direction: t.string({ nullable: true, description: 'Texts: "inbound" or "outbound".', resolve: (event) => (event.kind === 'text' ? event.direction : null) }),
    body: t.string({ nullable: true, resolve: (event) => (event.kind === 'text' ? event.body : null) }),
    status: t.string({ nullable: true, description: 'Texts: delivery status (queued, sent, delivered, failed, received, …).', resolve: (event) => (event.kind === 'text' ? event.status : null) }),
    sentBy: t.string({ nullable: true, description: 'Outbound texts: "automation" or "person" (a team member\'s reply or a test).', resolve: (event) => (event.kind === 'text' && event.direction === 'outbound' ? event.sentBy : null) }),
    callSid: t.string({ nullable: true, resolve: (event) => (event.kind === 'call' || event.kind === 'text' ? event.callSid : null) }),
    outcome: t.string({ nullable: true, description: 'Calls: no_answer, answered, voicemail, …', resolve: (event) => (event.kind === 'call' ? event.outcome : null) }),
    textBackStatus: t.string({ nullable: true, resolve: (event) => (event.kind === 'call' ? event.textBackStatus : null) }),
    textBackReason: t.string({ nullable: true, resolve: (event) => (event.kind === 'call' ? event.textBackReason : null) }),
    detail: t.string({ nullable: true, description: 'System entries: what happened, e.g. "text-back skipped: active conversation".', resolve: (event) => (event.kind === 'system' ? event.detail : null) }),
  }),
});

/** A cursor given back as received, or a GraphQLError naming the argument (queries have no error union). */
function checkedCursor(after: string | null | undefined): string | null {
  if (!after) return null;
  const bar = after.indexOf('|');
  if (bar < 0 || Number.isNaN(Date.parse(after.slice(0, bar)))) {
    throw new GraphQLError('after: not a cursor this API gave out (pass a `cursor` field as received)', { extensions: { code: 'BAD_USER_INPUT', argument: 'after' } });
  }
  return after;
}

builder.objectFields(SubAccountRef, (t) => ({
  conversations: t.field({
    type: [ConversationRef],
    description: `The inbox: contacts who have texted or been texted, most recent activity first, with unread counts. At most ${MAX_PAGE} per page; pass the last \`cursor\` as \`after\` for the next page.`,
    args: { first: t.arg.int(), after: t.arg.string(), unreadOnly: t.arg.boolean({ defaultValue: false }) },
    complexity: pagedComplexity,
    resolve: async (subAccount, args, { em }) =>
      (await new ConversationStore(em).conversations(subAccount.id, { first: pageSize(args.first), after: checkedCursor(args.after), unreadOnly: args.unreadOnly ?? false })).map(
        (conversation) => ({ ...conversation, subAccountId: subAccount.id }),
      ),
  }),
  unreadConversations: t.loadable({
    type: 'Int',
    description: 'How many conversations have texts no team member has read yet.',
    load: async (ids: string[], { em }) => {
      const counts = await new ConversationStore(em).unreadConversations(ids);
      return ids.map((id) => counts.get(id) ?? 0);
    },
    resolve: (subAccount) => subAccount.id,
  }),
}));

builder.objectField(ContactRef, 'thread', (t) =>
  t.field({
    type: [ConversationEventRef],
    description: `The contact's thread, newest first: calls, texts both ways with delivery status, and the platform's decisions. At most ${MAX_PAGE} per page; pass the last \`cursor\` as \`after\` for older entries.`,
    args: { first: t.arg.int(), after: t.arg.string() },
    complexity: pagedComplexity,
    resolve: (contact, args, { em }) => new ConversationStore(em).thread(contact.id, { first: pageSize(args.first), after: checkedCursor(args.after) }),
  }),
);

const MarkReadInput = builder.inputType('MarkConversationReadInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    contactId: t.id({ required: true }),
    at: t.field({ type: 'DateTime', description: 'Read up to this moment (default: now). Never moves back.' }),
  }),
});

const MarkReadPayload = builder.objectRef<{ contactId: string; readAt: Date }>('MarkConversationReadPayload').implement({
  fields: (t) => ({
    contact: t.field({ type: ContactRef, resolve: (payload) => payload.contactId }),
    readAt: t.expose('readAt', { type: 'DateTime' }),
  }),
});

builder.mutationField('markConversationRead', (t) =>
  t.field({
    type: MarkReadPayload,
    description: 'Marks a contact\'s conversation read (a sub-account key may, for its own sub-account).',
    errors: { types: [NotFoundError] },
    args: { input: t.arg({ type: MarkReadInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer }) => {
      const subAccount = await findSubAccountInScope(em, viewer, input.subAccountId);
      const contact = subAccount ? await findContact(em, subAccount.id, input.contactId) : null;
      if (!subAccount || !contact) throw new NotFoundError(`contact ${input.contactId} not found in sub-account ${input.subAccountId}`);
      const readAt = await new ConversationStore(em).markRead(subAccount.id, contact.id, input.at ?? new Date());
      return { contactId: contact.id, readAt };
    },
  }),
);
