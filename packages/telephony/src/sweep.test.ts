import { setUpAccount } from '@mctb/control';
import { Call, createOrm, migrate, type Orm } from '@mctb/db';
import { freePort, repoRoot, startTemporalDevServer, type RunningTemporal } from '@mctb/devstack';
import { textBackWorkflowId } from '@mctb/domain';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { createEmptyDatabase, type TestDatabase } from '@mctb/testkit';
import { Client, Connection } from '@temporalio/client';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { CallIntake } from './call-intake.js';
import { TemporalTextBack } from './temporal-text-back.js';

describe('CallIntake.sweep', () => {
  let database: TestDatabase;
  let orm: Orm;
  let server: RunningTemporal;
  let connection: Connection;
  let subAccountId: string;
  let intake: CallIntake;

  beforeAll(async () => {
    database = await createEmptyDatabase('sweep');
    orm = await createOrm(database.url);
    await migrate(orm);
    const plugins = firstPartyPlugins();
    ({ subAccountId } = await setUpAccount(orm.em.fork(), plugins, {
      agencyName: 'Acme',
      subAccount: { name: 'Greenfield', timeZone: 'UTC', twilioNumber: '+15125550100', forwardingNumber: '+15125550199' },
      snapshotYaml: await readFile(join(repoRoot, 'snapshots/missed-call-text-back.yaml'), 'utf8'),
      customValues: { booking_link: 'https://book.example' },
    }));
    server = await startTemporalDevServer({ cli: inject('temporalCli'), port: await freePort() });
    connection = await Connection.connect({ address: server.address });
    intake = new CallIntake({ orm, plugins, textBack: new TemporalTextBack(new Client({ connection })) });
  });
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
    await orm?.close();
    await database?.drop();
  });

  it('signals a missed call whose outcome was stored but never signalled (a crash in between)', async () => {
    const calls = orm.em.fork().getRepository(Call);
    await calls.recordIncoming({
      subAccountId, callSid: 'CA-crashed', fromRaw: '+15125550141', callerPhone: '+15125550141',
      untextableReason: null, toNumber: '+15125550100', startedAt: new Date(Date.now() - 120_000),
    });
    // What the gateway stored before dying: the outcome, but no signal and no text-back status.
    await calls.recordOutcome('CA-crashed', { outcome: 'no_answer', source: 'dial', ringSeconds: 18, endedAt: new Date(Date.now() - 60_000) });

    expect(await intake.sweep({ settledBefore: new Date(Date.now() - 30_000), limit: 100 })).toBe(1);
    const handle = new Client({ connection }).workflow.getHandle(textBackWorkflowId(subAccountId, '+15125550141'));
    const history = await handle.fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'missedCall');
    expect(signals).toHaveLength(1);
    expect((await orm.em.fork().findOneOrFail(Call, { callSid: 'CA-crashed' })).textBackStatus).toBe('pending');

    // Once signalled it is no longer stale: a second sweep finds nothing.
    expect(await intake.sweep({ settledBefore: new Date(), limit: 100 })).toBe(0);
  });
});
