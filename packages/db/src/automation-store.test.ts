import { createEmptyDatabase, type TestDatabase } from '@mctb/testkit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutomationStore } from './automation-store.js';
import type { RunProgress, RunStart, StepRecord } from './automation-types.js';
import { driverQuery, type DriverQuery } from './driver.js';
import { Agency, Contact, SubAccount } from './entities/index.js';
import { createOrm, migrate, type Orm } from './orm.js';

describe('AutomationStore', () => {
  let database: TestDatabase;
  let orm: Orm;
  let store: AutomationStore;
  let sql: DriverQuery;
  let subAccountId: string;
  let otherSubAccountId: string;

  beforeAll(async () => {
    database = await createEmptyDatabase('db_automation');
    orm = await createOrm(database.url);
    await migrate(orm);
    store = new AutomationStore(orm);
    sql = driverQuery(orm.em);
    const agency = new Agency('Acme');
    const subAccount = (name: string) => new SubAccount({ agency, name, timeZone: 'UTC', forwardingNumber: '+15125550199', incomingCallTimeout: 18 });
    const [mine, other] = [subAccount('Greenfield'), subAccount('Other')];
    await orm.em.fork().persist([mine, other]).flush();
    subAccountId = mine.id;
    otherSubAccountId = other.id;
  });
  afterAll(async () => {
    await orm?.close();
    await database?.drop();
  });

  let phones = 0;
  async function newContact(): Promise<string> {
    const em = orm.em.fork();
    const contact = new Contact(em.getReference(SubAccount, subAccountId), `+1512555${String(1000 + (phones += 1))}`, 'missed_call');
    await em.persist(contact).flush();
    return contact.id;
  }

  function run(contactId: string, id: string, startedAt: Date): RunStart {
    return {
      id, subAccountId, contactId, workflowKey: 'missed_call_follow_up', snapshotSlug: 'plumbers', snapshotVersion: 3, triggerType: 'call.missed',
      triggerRef: 'CA123', temporalWorkflowId: `automation-${id}`, parentRunId: null, startedAt,
    };
  }

  const step = (stepId: string, status: StepRecord['status'], at: Date, detail: string | null = null): StepRecord => ({ stepId, kind: 'send', status, detail, at });
  const at = (minutes: number) => new Date(Date.UTC(2026, 11, 2, 10, minutes));

  it('keeps one run when it is started twice, newest run of the contact first', async () => {
    const contactId = await newContact();
    await store.startRun(run(contactId, 'run-old', at(0)));
    await store.startRun(run(contactId, 'run-new', at(5)));
    await store.startRun({ ...run(contactId, 'run-new', at(9)), workflowKey: 'retried' });

    const runs = await store.runsOfContact(subAccountId, contactId);
    expect(runs.map((r) => r.id)).toEqual(['run-new', 'run-old']);
    expect(runs[0]).toEqual({
      id: 'run-new', workflowKey: 'missed_call_follow_up', snapshotSlug: 'plumbers', snapshotVersion: 3, triggerType: 'call.missed', triggerRef: 'CA123',
      status: 'running', currentStep: null, reason: null, startedAt: at(5), updatedAt: at(5), endedAt: null, steps: [],
    });
    expect(await store.runsOfContact(otherSubAccountId, contactId)).toEqual([]);
  });

  it('upserts steps, never reopens a done step, and lets the first ending of a run stand', async () => {
    const contactId = await newContact();
    await store.startRun(run(contactId, 'run-steps', at(0)));
    await store.recordProgress('run-steps', { status: 'running', currentStep: 'wait', reason: null, at: at(1), steps: [step('send', 'done', at(1)), step('wait', 'waiting', at(1))] });
    // A retried activity replays an older report.
    await store.recordProgress('run-steps', { status: 'running', currentStep: 'send', reason: null, at: at(1), steps: [step('send', 'waiting', at(1))] });
    await store.recordProgress('run-steps', { status: 'completed', currentStep: null, reason: 'reached the end', at: at(3), steps: [step('wait', 'done', at(2), 'replied'), step('tag', 'skipped', at(3))] });
    const ended: RunProgress = { status: 'running', currentStep: 'wait', reason: null, at: at(4), steps: [step('wait', 'waiting', at(4))] };
    await store.recordProgress('run-steps', ended);
    await store.recordProgress('run-steps', { ...ended, status: 'failed', reason: 'late' });

    const [stored] = await store.runsOfContact(subAccountId, contactId);
    expect(stored).toMatchObject({ status: 'completed', currentStep: null, reason: 'reached the end', updatedAt: at(3), endedAt: at(3) });
    expect(stored?.steps).toEqual([
      { stepId: 'send', kind: 'send', status: 'done', detail: null, at: at(1) },
      { stepId: 'wait', kind: 'send', status: 'done', detail: 'replied', at: at(2) },
      { stepId: 'tag', kind: 'send', status: 'skipped', detail: null, at: at(3) },
    ]);
  });

  it('takes one report with the same step twice, and ignores reports for a run that is gone', async () => {
    const contactId = await newContact();
    await store.startRun(run(contactId, 'run-twice', at(0)));
    await store.recordProgress('run-twice', { status: 'running', currentStep: 'a', reason: null, at: at(2), steps: [step('a', 'done', at(1)), step('a', 'waiting', at(2))] });
    expect((await store.runsOfContact(subAccountId, contactId))[0]?.steps).toMatchObject([{ stepId: 'a', status: 'done' }]);
    await expect(store.recordProgress('run-missing', { status: 'failed', currentStep: null, reason: null, at: at(2), steps: [step('a', 'done', at(2))] })).resolves.toBeUndefined();
  });

  it('creates one task per step of a run, listed while open', async () => {
    const contactId = await newContact();
    const task = { runId: 'run-task', stepId: 'call-back', subAccountId, contactId, title: 'Call back', dueAt: at(30), assignee: 'sam' };
    const first = await store.createTask(task);
    const again = await store.createTask({ ...task, title: 'Retried' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    const sooner = await store.createTask({ ...task, stepId: 'text', dueAt: at(10), assignee: null });

    const open = await store.openTasks(subAccountId);
    expect(open.map((t) => [t.id, t.title])).toEqual([[sooner.id, 'Call back'], [first.id, 'Call back']]);
    expect(open[1]).toMatchObject({ contactId, runId: 'run-task', stepId: 'call-back', dueAt: at(30), assignee: 'sam', status: 'open', completedAt: null });
    expect(await store.openTasks(otherSubAccountId)).toEqual([]);

    expect(await store.completeTask(otherSubAccountId, sooner.id, at(11))).toBe(false);
    expect(await store.completeTask(subAccountId, sooner.id, at(11))).toBe(true);
    expect(await store.completeTask(subAccountId, sooner.id, at(12))).toBe(false);
    expect(await store.completeTask(subAccountId, 'not-a-uuid', at(12))).toBe(false);
    expect((await store.openTasks(subAccountId)).map((t) => t.id)).toEqual([first.id]);
  });

  it('adds tags without duplicates and removes them, the same each time', async () => {
    const contactId = await newContact();
    expect(await store.changeTags(contactId, { add: ['lead', 'missed', 'lead'], remove: [] })).toEqual(['lead', 'missed']);
    const change = { add: ['vip', 'missed'], remove: ['lead'] };
    expect(await store.changeTags(contactId, change)).toEqual(['missed', 'vip']);
    expect(await store.changeTags(contactId, change)).toEqual(['missed', 'vip']);
    expect((await store.contactFacts(contactId))?.tags).toEqual(['missed', 'vip']);
    expect(await store.changeTags(randomUUID(), change)).toEqual([]);
  });

  async function message(contactId: string | null, direction: 'inbound' | 'outbound', createdAt: Date, extra: { intentId?: string; status?: string; subAccountId?: string } = {}) {
    await sql(
      `insert into messages (id, sub_account_id, contact_id, direction, from_number, to_number, body, status, provider, intent_id, created_at, updated_at)
       values ($1, $2, $3, $4, '+15125550100', '+15125550101', 'hi', $5, 'outbox', $6, $7, $7)`,
      [randomUUID(), extra.subAccountId ?? subAccountId, contactId, direction, extra.status ?? 'sent', extra.intentId ?? null, createdAt],
    );
  }

  it('reads a contact with its last inbound and outbound texts', async () => {
    const contactId = await newContact();
    expect(await store.contactFacts(contactId)).toMatchObject({ firstName: '', lastName: '', tags: [], optedOutAt: null, lastInboundAt: null, lastOutboundAt: null });
    await message(contactId, 'inbound', at(1));
    await message(contactId, 'inbound', at(4));
    await message(contactId, 'outbound', at(2));
    await message(await newContact(), 'outbound', at(9));
    const facts = await store.contactFacts(contactId);
    expect(facts).toMatchObject({ lastInboundAt: at(4), lastOutboundAt: at(2) });
    expect(facts?.phone).toMatch(/^\+1512555\d{4}$/);
    expect(facts?.createdAt).toBeInstanceOf(Date);
    expect(await store.contactFacts(randomUUID())).toBeNull();
  });

  it('counts the automated texts sent since a time, not replies, manual or failed texts', async () => {
    const contactId = await newContact();
    const since = new Date(Date.UTC(2026, 11, 3, 9));
    const later = (minutes: number) => new Date(since.getTime() + minutes * 60_000);
    await message(contactId, 'outbound', since, { intentId: 'i-1' });
    await message(contactId, 'outbound', later(5), { intentId: 'i-2', status: 'queued' });
    await message(contactId, 'outbound', later(-1), { intentId: 'i-early' });
    await message(contactId, 'outbound', later(6), { intentId: 'i-failed', status: 'failed' });
    await message(contactId, 'outbound', later(7));
    await message(contactId, 'inbound', later(8));
    await message(null, 'outbound', later(9), { intentId: 'i-other', subAccountId: otherSubAccountId });
    expect(await store.automatedTextsSince(subAccountId, since)).toBe(2);
  });

  it("undoes its migration: the tables go, and come back when it's applied again", async () => {
    const tables = async () => (await sql(`select tablename from pg_tables where tablename in ('automation_runs', 'automation_steps', 'tasks') order by 1`)).map((r) => r.tablename);
    expect(await tables()).toEqual(['automation_runs', 'automation_steps', 'tasks']);
    await orm.getMigrator().down({ to: 'Migration20261201200000' });
    expect(await tables()).toEqual([]);
    await migrate(orm);
    expect(await tables()).toEqual(['automation_runs', 'automation_steps', 'tasks']);
  });
});
