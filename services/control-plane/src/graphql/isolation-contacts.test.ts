import type { AccountSetup } from '@mctb/control';
import { issueApiKey } from '@mctb/control';
import { AutomationStore, Contact } from '@mctb/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../testing/harness.js';

/**
 * Contacts, runs, tasks, the block list and the pause of agency A's sub-account, against agency B's
 * key and against a key bound to another sub-account of A: nothing of it can be seen or changed.
 */
let cp: ControlPlaneHarness;
let a: AccountSetup;
let b: AccountSetup;
let contactId: string;
let taskId: string;
/** Bound to a second sub-account of agency A. */
let siblingKey: string;
/** Bound to A's sub-account itself. */
let ownKey: string;
const until = new Date(Date.now() + 48 * 3_600_000).toISOString();

beforeAll(async () => {
  cp = await startControlPlane('control_plane_isolation_contacts');
  a = await cp.seedAgency('Agency A', '+15125550141');
  b = await cp.seedAgency('Agency B', '+15125550142');
  const em = cp.orm.em.fork();
  contactId = (await em.getRepository(Contact).findOrCreateByPhone(a.subAccountId, '+15125550143', 'missed_call')).contact.id;
  const store = new AutomationStore(cp.orm);
  await store.startRun({
    id: 'run-a', subAccountId: a.subAccountId, contactId, workflowKey: 'missed_call', snapshotSlug: 'missed-call-text-back', snapshotVersion: 1,
    triggerType: 'call.missed', triggerRef: 'CA1', temporalWorkflowId: 'automation-run-a', parentRunId: null, startedAt: new Date(),
  });
  taskId = (await store.createTask({ runId: 'run-a', stepId: 'task', subAccountId: a.subAccountId, contactId, title: 'Call back', dueAt: new Date(), assignee: null })).id;
  const created = await cp.graphql<{ createSubAccount: { subAccount: { id: string } } }>(
    a.apiKey,
    `mutation { createSubAccount(input: { name: "A second", timeZone: "America/Denver", twilioNumber: "+15125550144", forwardingNumber: "+15125550198" }) {
      ... on CreateSubAccountPayload { subAccount { id } } } }`,
  );
  siblingKey = (await issueApiKey(em, { agencyId: a.agencyId, subAccountId: created.data!.createSubAccount.subAccount.id, name: 'sibling' })).token;
  ownKey = (await issueApiKey(em, { agencyId: a.agencyId, subAccountId: a.subAccountId, name: 'client portal' })).token;
  const setUp = await cp.graphql(
    a.apiKey,
    `mutation ($sub: ID!, $until: DateTime!) {
      blockNumber(input: { subAccountId: $sub, phone: "+15125550145", reason: "spam" }) { __typename }
      pauseAutomations(input: { subAccountId: $sub, until: $until, reason: "holidays" }) { __typename } }`,
    { sub: a.subAccountId, until },
  );
  expect(setUp.data).toEqual({ blockNumber: { __typename: 'BlockNumberPayload' }, pauseAutomations: { __typename: 'AutomationsPausePayload' } });
});
afterAll(() => cp?.close());

const READ = `query ($sub: ID!, $contact: ID!) { subAccount(id: $sub) {
  contacts { id firstName tags runs { id } } contact(id: $contact) { id firstName tags runs { id steps { stepId } } }
  openTasks { id } blockedNumbers { e164 reason } automationsPause { until reason } } }`;

/** Every mutation of this slice, aimed at A's sub-account, contact and task (or at `sub` with them). */
const WRITE = `mutation ($sub: ID!, $contact: ID!, $task: ID!, $until: DateTime!) {
  updateContact(input: { subAccountId: $sub, contactId: $contact, firstName: "Mallory", addTags: ["pwned"], removeTags: ["x"] }) { __typename ... on Error { message } }
  completeTask(input: { subAccountId: $sub, taskId: $task }) { __typename ... on Error { message } }
  blockNumber(input: { subAccountId: $sub, phone: "+15125550146" }) { __typename ... on Error { message } }
  unblockNumber(input: { subAccountId: $sub, phone: "+15125550145" }) { __typename ... on Error { message } }
  pauseAutomations(input: { subAccountId: $sub, until: $until }) { __typename ... on Error { message } }
  resumeAutomations(subAccountId: $sub) { __typename ... on Error { message } } }`;

const subNotFound = (id: string) => ({ __typename: 'NotFoundError', message: `sub-account ${id} not found` });

async function expectUntouched(): Promise<void> {
  const { data, errors } = await cp.graphql(a.apiKey, READ, { sub: a.subAccountId, contact: contactId });
  expect(errors).toBeUndefined();
  expect(data).toEqual({
    subAccount: {
      contacts: [{ id: contactId, firstName: '', tags: [], runs: [{ id: 'run-a' }] }],
      contact: { id: contactId, firstName: '', tags: [], runs: [{ id: 'run-a', steps: [] }] },
      openTasks: [{ id: taskId }],
      blockedNumbers: [{ e164: '+15125550145', reason: 'spam' }],
      automationsPause: { until, reason: 'holidays' },
    },
  });
}

describe("another agency's key", () => {
  it("sees none of A's contacts, runs, tasks, block list or pause", async () => {
    const { data } = await cp.graphql(b.apiKey, READ, { sub: a.subAccountId, contact: contactId });
    expect(data).toEqual({ subAccount: null });
    // Through its own sub-account, A's contact is just not there.
    const own = await cp.graphql(b.apiKey, READ, { sub: b.subAccountId, contact: contactId });
    expect(own.data).toMatchObject({ subAccount: { contacts: [], contact: null, openTasks: [], blockedNumbers: [], automationsPause: null } });
  });

  it('changes nothing, and is told exactly what a missing sub-account would tell it', async () => {
    const { data } = await cp.graphql(b.apiKey, WRITE, { sub: a.subAccountId, contact: contactId, task: taskId, until });
    const notFound = subNotFound(a.subAccountId);
    expect(data).toEqual({ updateContact: notFound, completeTask: notFound, blockNumber: notFound, unblockNumber: notFound, pauseAutomations: notFound, resumeAutomations: notFound });
    await expectUntouched();
  });

  it("cannot reach A's contact or task through its own sub-account", async () => {
    const { data } = await cp.graphql(b.apiKey, WRITE, { sub: b.subAccountId, contact: contactId, task: taskId, until });
    expect(data).toMatchObject({
      updateContact: { __typename: 'NotFoundError', message: `contact ${contactId} not found` },
      completeTask: { __typename: 'NotFoundError', message: `no open task ${taskId} in this sub-account` },
    });
    await expectUntouched();
  });
});

describe("a key bound to another sub-account of the same agency", () => {
  it("neither sees nor changes any of it", async () => {
    const read = await cp.graphql(siblingKey, READ, { sub: a.subAccountId, contact: contactId });
    expect(read.data).toEqual({ subAccount: null });
    const { data } = await cp.graphql(siblingKey, WRITE, { sub: a.subAccountId, contact: contactId, task: taskId, until });
    const notFound = subNotFound(a.subAccountId);
    expect(data).toEqual({ updateContact: notFound, completeTask: notFound, blockNumber: notFound, unblockNumber: notFound, pauseAutomations: notFound, resumeAutomations: notFound });
    await expectUntouched();
  });
});

describe("the sub-account's own key", () => {
  it('reads and manages its contacts, tasks, block list and pause', async () => {
    const read = await cp.graphql(ownKey, READ, { sub: a.subAccountId, contact: contactId });
    expect(read.data).toMatchObject({ subAccount: { contact: { id: contactId }, openTasks: [{ id: taskId }] } });
    const { data } = await cp.graphql(ownKey, WRITE, { sub: a.subAccountId, contact: contactId, task: taskId, until });
    expect(data).toEqual({
      updateContact: { __typename: 'UpdateContactPayload' },
      completeTask: { __typename: 'CompleteTaskPayload' },
      blockNumber: { __typename: 'BlockNumberPayload' },
      unblockNumber: { __typename: 'UnblockNumberPayload' },
      pauseAutomations: { __typename: 'AutomationsPausePayload' },
      resumeAutomations: { __typename: 'AutomationsPausePayload' },
    });
  });
});
