import { Agency, Call, CallStore, createOrm, migrate, SubAccount, type Orm } from '@mctb/db';
import { createEmptyDatabase, type TestDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordTextBackStatus } from './send.js';

describe('recordTextBackStatus', () => {
  let database: TestDatabase;
  let orm: Orm;
  let subAccountId: string;
  beforeAll(async () => {
    database = await createEmptyDatabase('activities');
    orm = await createOrm(database.url);
    await migrate(orm);
    const em = orm.em.fork();
    const subAccount = new SubAccount({ agency: new Agency('Acme'), name: 'Greenfield', timeZone: 'UTC', forwardingNumber: '+15125550199', incomingCallTimeout: 18 });
    await em.persist(subAccount).flush();
    subAccountId = subAccount.id;
  });
  afterAll(async () => {
    await orm?.close();
    await database?.drop();
  });

  it('keeps a sent text sent: a re-driven run that skips the call later cannot undo it', async () => {
    await new CallStore(orm).recordIncoming({
      subAccountId, callSid: 'CA-sent', fromRaw: '+15125550171', callerPhone: '+15125550171', untextableReason: null, toNumber: '+15125550100', startedAt: new Date(),
    });
    const deps = { orm } as Parameters<typeof recordTextBackStatus>[0];
    await recordTextBackStatus(deps, { callSids: ['CA-sent'], status: 'sent', reason: null });
    await recordTextBackStatus(deps, { callSids: ['CA-sent'], status: 'skipped', reason: 'conversation: the caller texted within the last 24h' });
    expect(await orm.em.fork().findOneOrFail(Call, { callSid: 'CA-sent' })).toMatchObject({ textBackStatus: 'sent', textBackReason: null });
  });
});
