import type { AccountSetup } from '@mctb/control';
import { AutomationStore, Contact, type StepRecord } from '@mctb/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

let cp: ControlPlaneHarness;
let agency: AccountSetup;
let store: AutomationStore;
/** Oldest first: +15125550161, +15125550162, +15125550163. */
const contactIds: string[] = [];

beforeAll(async () => {
  cp = await startControlPlane('control_plane_contacts');
  agency = await cp.seedAgency('Acme Agency', '+15125550160');
  store = new AutomationStore(cp.orm);
  for (const phone of ['+15125550161', '+15125550162', '+15125550163']) {
    const { contact } = await cp.orm.em.fork().getRepository(Contact).findOrCreateByPhone(agency.subAccountId, phone, 'missed_call');
    contactIds.push(contact.id);
  }
});
afterAll(() => cp?.close());

const UPDATE = `mutation ($input: UpdateContactInput!) { updateContact(input: $input) {
  __typename
  ... on UpdateContactPayload { contact { firstName lastName tags } }
  ... on ValidationError { issues { path message } }
  ... on NotFoundError { message }
} }`;

async function update(input: Record<string, unknown>) {
  const response = await cp.graphql<{ updateContact: Record<string, unknown> }>(agency.apiKey, UPDATE, { input: { subAccountId: agency.subAccountId, contactId: contactIds[0], ...input } });
  expect(response.errors).toBeUndefined();
  return response.data!.updateContact;
}

async function contact(id: string, fields = 'firstName lastName tags') {
  const { data } = await cp.graphql<{ subAccount: { contact: Record<string, unknown> | null } }>(
    agency.apiKey,
    `query ($sub: ID!, $id: ID!) { subAccount(id: $sub) { contact(id: $id) { ${fields} } } }`,
    { sub: agency.subAccountId, id },
  );
  return data!.subAccount.contact;
}

describe('contacts', () => {
  it('lists them newest first, page by page, and by the digits of a phone number', async () => {
    const list = async (args: string) =>
      (await cp.graphql<{ subAccount: { contacts: { id: string; phone: string }[] } }>(agency.apiKey, `{ subAccount(id: "${agency.subAccountId}") { contacts${args} { id phone } } }`)).data!
        .subAccount.contacts;
    const first = await list('(first: 2)');
    expect(first.map((c) => c.phone)).toEqual(['+15125550163', '+15125550162']);
    expect((await list(`(first: 2, after: "${first[1]!.id}")`)).map((c) => c.phone)).toEqual(['+15125550161']);
    expect((await list('(phone: "(512) 555-0162")')).map((c) => c.phone)).toEqual(['+15125550162']);
    expect(await list('(phone: "555016")')).toHaveLength(3);
    expect(await list('(phone: "999")')).toEqual([]);

    const bad = await cp.graphql(agency.apiKey, `{ subAccount(id: "${agency.subAccountId}") { contacts(phone: "bob") { id } } }`);
    expect(bad.errors?.[0]).toMatchObject({ message: 'phone: may contain only digits, spaces and + ( ) - .', extensions: { code: 'BAD_USER_INPUT', argument: 'phone' } });
  });

  it('edits names and tags; omitted fields stay as they were', async () => {
    expect(await update({ firstName: '  Dana ', lastName: 'Reyes', addTags: ['vip', 'callback', 'vip'] })).toEqual({
      __typename: 'UpdateContactPayload',
      contact: { firstName: 'Dana', lastName: 'Reyes', tags: ['vip', 'callback'] },
    });
    expect(await update({ addTags: ['warm'], removeTags: ['callback', 'never-had-it'] })).toEqual({
      __typename: 'UpdateContactPayload',
      contact: { firstName: 'Dana', lastName: 'Reyes', tags: ['vip', 'warm'] },
    });
    expect(await update({ lastName: '' })).toMatchObject({ contact: { firstName: 'Dana', lastName: '', tags: ['vip', 'warm'] } });
    expect(await contact(contactIds[0]!)).toEqual({ firstName: 'Dana', lastName: '', tags: ['vip', 'warm'] });
  });

  it('refuses bad names and tags, naming each field, and changes nothing', async () => {
    expect(await update({ firstName: 'x'.repeat(101), lastName: 'two\nlines', addTags: ['', 't'.repeat(65), 'ok', 'tab\u0007'], removeTags: ['ok'] })).toEqual({
      __typename: 'ValidationError',
      issues: [
        { path: 'firstName', message: 'must be at most 100 characters' },
        { path: 'lastName', message: 'must be one line' },
        { path: 'addTags[0]', message: 'must not be empty' },
        { path: 'addTags[1]', message: 'must be at most 64 characters' },
        { path: 'addTags[3]', message: 'must not contain control characters' },
        { path: 'removeTags[0]', message: '"ok" is also in addTags' },
      ],
    });
    expect(await update({ addTags: Array.from({ length: 51 }, (_, i) => `t${i}`) })).toEqual({
      __typename: 'ValidationError',
      issues: [{ path: 'addTags', message: 'at most 50 tags at once' }],
    });
    // The contact has 2 tags: 49 more would make 51.
    expect(await update({ addTags: Array.from({ length: 49 }, (_, i) => `t${i}`) })).toEqual({
      __typename: 'ValidationError',
      issues: [{ path: 'addTags', message: 'a contact has at most 50 tags; this would give it 51' }],
    });
    expect(await contact(contactIds[0]!)).toEqual({ firstName: 'Dana', lastName: '', tags: ['vip', 'warm'] });

    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await update({ contactId: missing, firstName: 'Ghost' })).toEqual({ __typename: 'NotFoundError', message: `contact ${missing} not found` });
    expect(await contact('not-a-uuid')).toBeNull();
  });

  it("shows a contact's automation runs with their steps, newest first, and whether they opted out", async () => {
    const contactId = contactIds[1]!;
    const at = (minutes: number) => new Date(Date.UTC(2026, 11, 2, 10, minutes));
    const step = (stepId: string, kind: string, status: StepRecord['status'], minutes: number, detail: string | null = null): StepRecord => ({ stepId, kind, status, detail, at: at(minutes) });
    for (const [id, minutes] of [['run-1', 0], ['run-2', 30]] as const) {
      await store.startRun({
        id, subAccountId: agency.subAccountId, contactId, workflowKey: 'missed_call', snapshotSlug: 'missed-call-text-back', snapshotVersion: 1,
        triggerType: 'call.missed', triggerRef: `CA-${id}`, temporalWorkflowId: `automation-${id}`, parentRunId: null, startedAt: at(minutes),
      });
    }
    await store.recordProgress('run-1', { status: 'completed', currentStep: null, reason: null, at: at(2), steps: [step('wait', 'wait', 'done', 1), step('text_in', 'send_sms', 'done', 2, 'SM123')] });
    await store.recordProgress('run-2', { status: 'excluded', currentStep: null, reason: 'dedup: texted within 24h', at: at(30), steps: [] });
    await cp.orm.em.fork().getRepository(Contact).optOut(contactId, at(40));

    const fields = 'optedOut runs { id status reason triggerRef endedAt steps { stepId kind status detail at } }';
    expect(await contact(contactId, fields)).toEqual({
      optedOut: true,
      runs: [
        { id: 'run-2', status: 'EXCLUDED', reason: 'dedup: texted within 24h', triggerRef: 'CA-run-2', endedAt: at(30).toISOString(), steps: [] },
        {
          id: 'run-1', status: 'COMPLETED', reason: null, triggerRef: 'CA-run-1', endedAt: at(2).toISOString(),
          steps: [
            { stepId: 'wait', kind: 'wait', status: 'DONE', detail: null, at: at(1).toISOString() },
            { stepId: 'text_in', kind: 'send_sms', status: 'DONE', detail: 'SM123', at: at(2).toISOString() },
          ],
        },
      ],
    });
    expect(await contact(contactId, 'runs(first: 1, after: "run-2") { id }')).toEqual({ runs: [{ id: 'run-1' }] });
    expect(await contact(contactIds[2]!, 'optedOut runs { id }')).toEqual({ optedOut: false, runs: [] });
  });
});

describe('tasks', () => {
  it('lists open tasks soonest due first and completes one, once', async () => {
    const due = (hours: number) => new Date(Date.now() + hours * 3_600_000);
    const later = await store.createTask({ runId: 'run-1', stepId: 'task', subAccountId: agency.subAccountId, contactId: contactIds[1]!, title: 'Call back later', dueAt: due(4), assignee: null });
    const soon = await store.createTask({ runId: 'run-2', stepId: 'task', subAccountId: agency.subAccountId, contactId: contactIds[2]!, title: 'Call back soon', dueAt: due(1), assignee: 'owner' });
    const OPEN = `{ subAccount(id: "${agency.subAccountId}") { openTasks { id title assignee status contact { phone } } } }`;
    expect((await cp.graphql(agency.apiKey, OPEN)).data).toEqual({
      subAccount: {
        openTasks: [
          { id: soon.id, title: 'Call back soon', assignee: 'owner', status: 'OPEN', contact: { phone: '+15125550163' } },
          { id: later.id, title: 'Call back later', assignee: null, status: 'OPEN', contact: { phone: '+15125550162' } },
        ],
      },
    });
    const paged = await cp.graphql(agency.apiKey, `{ subAccount(id: "${agency.subAccountId}") { openTasks(first: 1, after: "${soon.id}") { id } } }`);
    expect(paged.data).toEqual({ subAccount: { openTasks: [{ id: later.id }] } });

    const COMPLETE = `mutation ($input: CompleteTaskInput!) { completeTask(input: $input) {
      __typename ... on CompleteTaskPayload { taskId completedAt subAccount { openTasks { id } } } ... on NotFoundError { message } } }`;
    const done = await cp.graphql<{ completeTask: { completedAt: string } }>(agency.apiKey, COMPLETE, { input: { subAccountId: agency.subAccountId, taskId: soon.id } });
    expect(done.data?.completeTask).toEqual({ __typename: 'CompleteTaskPayload', taskId: soon.id, completedAt: expect.any(String), subAccount: { openTasks: [{ id: later.id }] } });
    expect(Math.abs(Date.parse(done.data!.completeTask.completedAt) - Date.now())).toBeLessThan(60_000);

    const again = await cp.graphql(agency.apiKey, COMPLETE, { input: { subAccountId: agency.subAccountId, taskId: soon.id } });
    expect(again.data).toEqual({ completeTask: { __typename: 'NotFoundError', message: `no open task ${soon.id} in this sub-account` } });
    const garbage = await cp.graphql(agency.apiKey, COMPLETE, { input: { subAccountId: agency.subAccountId, taskId: 'nope' } });
    expect(garbage.data).toEqual({ completeTask: { __typename: 'NotFoundError', message: 'no open task nope in this sub-account' } });
  });
});
