import { contactPhoneFilter, findContact, pageAfter, updateContact } from '@mctb/control';
import { Contact, MAX_PAGE, type AutomationRunView, type StepRecord } from '@mctb/db';
import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { unwrap, NotFoundError, ValidationError } from '../errors.js';
import { PAGE_DOC, pagedComplexity } from '../pagination.js';
import { enumValues } from './activity.js';
import { SubAccountRef } from './sub-account.js';

const RunStatusRef = builder.enumType('AutomationRunStatus', { values: enumValues(['running', 'completed', 'stopped', 'excluded', 'failed'] as const) });
const StepStatusRef = builder.enumType('AutomationStepStatus', { values: enumValues(['done', 'skipped', 'failed', 'waiting'] as const) });

const AutomationStepRef = builder.objectRef<StepRecord>('AutomationStep').implement({
  description: 'One step of a run as the interpreter last reported it.',
  fields: (t) => ({
    stepId: t.exposeString('stepId', { description: 'The step id in the workflow definition (with the iteration, for repeated steps).' }),
    kind: t.exposeString('kind', { description: 'e.g. "wait", "send_sms", "wait_for_reply", "create_task".' }),
    status: t.field({ type: StepStatusRef, resolve: (step) => step.status }),
    detail: t.string({ nullable: true, description: 'Why it was skipped or failed, or what it did.', resolve: (step) => step.detail }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const AutomationRunRef = builder.objectRef<AutomationRunView>('AutomationRun').implement({
  description: 'One run of a workflow for a contact, pinned to the snapshot version it started with.',
  fields: (t) => ({
    id: t.exposeID('id'),
    workflowKey: t.exposeString('workflowKey'),
    snapshotSlug: t.exposeString('snapshotSlug'),
    snapshotVersion: t.exposeInt('snapshotVersion'),
    triggerType: t.exposeString('triggerType', { description: 'e.g. "call.missed".' }),
    triggerRef: t.string({ nullable: true, description: 'What started it, e.g. the CallSid.', resolve: (run) => run.triggerRef }),
    status: t.field({ type: RunStatusRef, resolve: (run) => run.status }),
    currentStep: t.string({ nullable: true, resolve: (run) => run.currentStep }),
    reason: t.string({ nullable: true, description: 'Why it was excluded, stopped or failed.', resolve: (run) => run.reason }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    endedAt: t.field({ type: 'DateTime', nullable: true, resolve: (run) => run.endedAt }),
    // A run's steps are bounded by its workflow definition; the default list cost (10) prices them.
    steps: t.field({ type: [AutomationStepRef], description: 'Oldest first.', resolve: (run) => run.steps }),
  }),
});

// Loadable, so many tasks of one contact fetch it once per request.
export const ContactRef = builder.loadableObject('Contact', {
  description: 'A caller or lead of a sub-account, one per phone number.',
  load: (ids: string[], { em }) => em.find(Contact, { id: { $in: ids } }),
  sort: (contact) => contact.id,
  fields: (t) => ({
    id: t.exposeID('id'),
    phone: t.exposeString('phone', { description: 'E.164.' }),
    firstName: t.exposeString('firstName'),
    lastName: t.exposeString('lastName'),
    tags: t.exposeStringList('tags'),
    source: t.exposeString('source', { description: 'How the contact first reached the business, e.g. "missed_call".' }),
    optedOut: t.boolean({ description: 'The contact texted STOP (or similar): nothing is sent to them.', resolve: (contact) => contact.optedOutAt !== null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    runs: t.loadableList({
      type: AutomationRunRef,
      description: `Automation runs, newest first, each with its steps. At most ${MAX_PAGE} per page (default 20); pass the last id you got as \`after\` for the next page.`,
      args: { first: t.arg.int({ defaultValue: 20 }), after: t.arg.id() },
      complexity: pagedComplexity,
      byPath: true,
      // The store reads one contact's runs at a time; the loader runs a page's contacts concurrently.
      load: (keys: string[], { automations }, args) =>
        Promise.all(
          keys.map(async (key) => {
            const [subAccountId = '', contactId = ''] = key.split('/');
            return pageAfter(await automations.runsOfContact(subAccountId, contactId), args);
          }),
        ),
      resolve: (contact) => `${contact.subAccount.id}/${contact.id}`,
    }),
  }),
});

builder.objectFields(SubAccountRef, (t) => ({
  contacts: t.loadableList({
    type: ContactRef,
    description: `Contacts, newest first; \`phone\` keeps those whose number contains its digits ("5550101", "+1 512 555 0101"). ${PAGE_DOC}`,
    args: { first: t.arg.int(), after: t.arg.id(), phone: t.arg.string() },
    complexity: pagedComplexity,
    byPath: true,
    load: (ids: string[], { em }, args) => em.getRepository(Contact).pagePerSubAccount(ids, { first: args.first, after: args.after, phoneDigits: phoneDigits(args.phone) }),
    resolve: (subAccount, args) => {
      // Checked here, before the batch: an error thrown inside a batch load reaches clients masked.
      phoneDigits(args.phone);
      return subAccount.id;
    },
  }),
  contact: t.field({
    type: ContactRef,
    nullable: true,
    description: 'Null when the sub-account has no contact with this id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (subAccount, { id }, { em }) => findContact(em, subAccount.id, id),
  }),
}));

/** The filter's digits, or a GraphQLError naming the argument: a query has no error union to put it in. */
function phoneDigits(phone: string | null | undefined): string | null {
  const filter = contactPhoneFilter(phone);
  if (filter.ok) return filter.value;
  const message = filter.kind === 'invalid' ? (filter.issues[0]?.message ?? 'is invalid') : 'is invalid';
  throw new GraphQLError(`phone: ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument: 'phone' } });
}

const UpdateContactInput = builder.inputType('UpdateContactInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    contactId: t.id({ required: true }),
    firstName: t.string({ description: 'At most 100 characters, one line; "" clears it; omitted: unchanged.' }),
    lastName: t.string({ description: 'At most 100 characters, one line; "" clears it; omitted: unchanged.' }),
    addTags: t.stringList({ description: 'Tags to add (1-64 characters, one line each); a contact has at most 50.' }),
    removeTags: t.stringList({ description: 'Tags to remove; removing a tag the contact lacks changes nothing.' }),
  }),
});

const UpdateContactPayload = builder.objectRef<{ contact: Contact }>('UpdateContactPayload').implement({
  fields: (t) => ({ contact: t.field({ type: ContactRef, resolve: (payload) => payload.contact }) }),
});

builder.mutationField('updateContact', (t) =>
  t.field({
    type: UpdateContactPayload,
    description: "Renames a contact and adds or removes tags (tags an automation adds meanwhile are kept). A tag the contact did not have starts the snapshot's contact.tagged automations for it.",
    errors: { types: [ValidationError, NotFoundError] },
    args: { input: t.arg({ type: UpdateContactInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer, automations, taggedRuns }) => ({
      contact: unwrap(await updateContact(em, automations, viewer, input.subAccountId, input.contactId, input, taggedRuns)),
    }),
  }),
);
