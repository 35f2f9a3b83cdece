import { wrap } from '@mikro-orm/core';
import { createEmptyDatabase, type TestDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agency, SubAccount } from './entities/index.js';
import { NotificationStore, type NotificationIntent } from './notification-store.js';
import { createOrm, migrate, type Orm } from './orm.js';

describe('NotificationStore', () => {
  let database: TestDatabase;
  let orm: Orm;
  let store: NotificationStore;
  let subAccountId: string;

  beforeAll(async () => {
    database = await createEmptyDatabase('db_notifications');
    orm = await createOrm(database.url);
    await migrate(orm);
    store = new NotificationStore(orm);
    const subAccount = new SubAccount({ agency: new Agency('Acme'), name: 'Greenfield', timeZone: 'UTC', forwardingNumber: '+15125550199', incomingCallTimeout: 18 });
    subAccount.ownerEmail = 'owner@greenfield.example';
    await orm.em.fork().persist(subAccount).flush();
    subAccountId = subAccount.id;
  });
  afterAll(async () => {
    await orm?.close();
    await database?.drop();
  });

  const intent = (stepId: string, body = 'Missed call from +15125550123'): NotificationIntent => ({
    subAccountId, runId: 'run-1', stepId, channel: 'email', recipient: 'owner@greenfield.example', subject: 'Greenfield: missed call', body,
  });
  const at = new Date(Date.UTC(2026, 11, 2, 10, 0));

  it('stores the intent once; a retry gets the first body and counts the attempt', async () => {
    const first = await store.open(intent('alert'));
    const retried = await store.open(intent('alert', 'a body rendered later'));
    expect(retried).toMatchObject({ id: first.id, body: 'Missed call from +15125550123', status: 'pending', attempts: 2, sentAt: null });
  });

  it('keeps a sent notification sent: later attempts are neither counted nor recorded', async () => {
    const opened = await store.open(intent('sent_once'));
    await store.settle(opened.id, { status: 'sent', detail: 'accepted', at });
    await store.settle(opened.id, { status: 'failed', detail: 'a late failure', at });
    const again = await store.open(intent('sent_once'));
    expect(again).toMatchObject({ status: 'sent', detail: 'accepted', attempts: 1, sentAt: at });
  });

  it('records a webhook attempt with its status code and latency, and the final failure', async () => {
    const opened = await store.open({ ...intent('hook'), channel: 'webhook', recipient: 'https://crm.example/hook', subject: null });
    await store.settle(opened.id, { status: 'pending', detail: 'HTTP 500 in 12 ms', responseStatus: 500, latencyMs: 12, at });
    await store.open({ ...intent('hook'), channel: 'webhook' });
    await store.settle(opened.id, { status: 'failed', detail: 'HTTP 503 in 9 ms', responseStatus: 503, latencyMs: 9, at });
    const [, , hook] = await store.ofRun('run-1');
    expect(hook).toMatchObject({ stepId: 'hook', status: 'failed', attempts: 2, responseStatus: 503, latencyMs: 9, detail: 'HTTP 503 in 9 ms', sentAt: null });
  });

  it('reads the owner\'s addresses', async () => {
    expect(await store.ownerOf(subAccountId)).toEqual({ email: 'owner@greenfield.example', phone: null });
    expect(await store.ownerOf('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('makes the signing secret on first use and keeps it, concurrent first uses agreeing on one', async () => {
    const secrets = await Promise.all(['secret-a', 'secret-b', 'secret-c'].map((candidate) => store.signingSecret(subAccountId, candidate)));
    expect(new Set(secrets).size).toBe(1);
    expect(await store.signingSecret(subAccountId, 'secret-d')).toBe(secrets[0]);
    const reloaded = await orm.em.fork().findOneOrFail(SubAccount, subAccountId);
    expect(reloaded.webhookSigningSecret).toBe(secrets[0]);
    expect(wrap(reloaded).toObject()).not.toHaveProperty('webhookSigningSecret');
  });
});
