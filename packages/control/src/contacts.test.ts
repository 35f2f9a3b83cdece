import { Agency, AutomationStore, Contact, createOrm, migrate, SubAccount, type Orm } from '@mctb/db';
import { createEmptyDatabase, type TestDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pauseAutomations } from './automations-pause.js';
import { blockNumber, listBlockedNumbers } from './block-list.js';
import { contactRuns, getContact, listContacts } from './contacts.js';
import type { Scope } from './scope.js';
import { openTasks } from './tasks.js';

/** The read use cases GraphQL reaches through dataloaders, called directly: each checks its scope. */
describe('contacts, tasks, block list and pause: scope', () => {
  let database: TestDatabase;
  let orm: Orm;
  let store: AutomationStore;
  let mine: SubAccount;
  let sibling: SubAccount;
  let contactId: string;
  let agencyScope: Scope;

  beforeAll(async () => {
    database = await createEmptyDatabase('control_contacts');
    orm = await createOrm(database.url);
    await migrate(orm);
    store = new AutomationStore(orm);
    const agency = new Agency('Acme');
    const subAccount = (name: string) => new SubAccount({ agency, name, timeZone: 'UTC', forwardingNumber: '+15125550199', incomingCallTimeout: 18 });
    [mine, sibling] = [subAccount('Greenfield'), subAccount('Sibling')];
    await orm.em.fork().persist([mine, sibling]).flush();
    agencyScope = { agencyId: agency.id, subAccountId: null };
    contactId = (await orm.em.fork().getRepository(Contact).findOrCreateByPhone(mine.id, '+15125550111', 'missed_call')).contact.id;
    await store.startRun({
      id: 'run-1', subAccountId: mine.id, contactId, workflowKey: 'missed_call', snapshotSlug: 's', snapshotVersion: 1, triggerType: 'call.missed',
      triggerRef: null, temporalWorkflowId: 'automation-run-1', parentRunId: null, startedAt: new Date(),
    });
    await store.createTask({ runId: 'run-1', stepId: 'task', subAccountId: mine.id, contactId, title: 'Call back', dueAt: new Date(), assignee: null });
    await blockNumber(orm.em.fork(), agencyScope, { subAccountId: mine.id, phone: '+15125550112' });
  });
  afterAll(async () => {
    await orm?.close();
    await database?.drop();
  });

  it('answers an agency key and the sub-account’s own key', async () => {
    for (const scope of [agencyScope, { ...agencyScope, subAccountId: mine.id }]) {
      const em = orm.em.fork();
      expect(await listContacts(em, scope, mine.id, { phone: '555 0111' })).toMatchObject({ ok: true, value: [{ id: contactId }] });
      expect(await getContact(em, scope, mine.id, contactId)).toMatchObject({ ok: true, value: { phone: '+15125550111' } });
      expect(await contactRuns(em, store, scope, mine.id, contactId)).toMatchObject({ ok: true, value: [{ id: 'run-1', status: 'running' }] });
      expect(await openTasks(em, store, scope, mine.id)).toMatchObject({ ok: true, value: [{ title: 'Call back' }] });
      expect(await listBlockedNumbers(em, scope, mine.id)).toMatchObject({ ok: true, value: [{ e164: '+15125550112' }] });
    }
  });

  it('reports the sub-account as not found to another agency and to a sibling sub-account’s key', async () => {
    const notFound = { ok: false, kind: 'not_found', message: `sub-account ${mine.id} not found` };
    for (const scope of [{ agencyId: '00000000-0000-4000-8000-000000000000', subAccountId: null }, { ...agencyScope, subAccountId: sibling.id }]) {
      const em = orm.em.fork();
      expect(await listContacts(em, scope, mine.id)).toEqual(notFound);
      expect(await getContact(em, scope, mine.id, contactId)).toEqual(notFound);
      expect(await contactRuns(em, store, scope, mine.id, contactId)).toEqual(notFound);
      expect(await openTasks(em, store, scope, mine.id)).toEqual(notFound);
      expect(await listBlockedNumbers(em, scope, mine.id)).toEqual(notFound);
      expect(await pauseAutomations(em, scope, { subAccountId: mine.id, until: new Date(Date.now() + 3_600_000) })).toEqual(notFound);
    }
    // The contact is not the sibling's either.
    expect(await getContact(orm.em.fork(), agencyScope, sibling.id, contactId)).toEqual({ ok: false, kind: 'not_found', message: `contact ${contactId} not found` });
  });

  it('names the phone filter when it is not one', async () => {
    expect(await listContacts(orm.em.fork(), agencyScope, mine.id, { phone: '-' })).toEqual({ ok: false, kind: 'invalid', issues: [{ path: 'phone', message: 'must contain at least one digit' }] });
  });
});
