import { setUpAccount } from '@mctb/control';
import { Call, CallStore, createOrm, migrate, type Orm } from '@mctb/db';
import { freePort, repoRoot, startTemporalDevServer, type RunningTemporal } from '@mctb/devstack';
import { textBackWorkflowId } from '@mctb/domain';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { silentLogger } from '@mctb/service-kit';
import { createEmptyDatabase, startFakeTwilio, type FakeTwilio, type TestDatabase } from '@mctb/testkit';
import { createTwilioClient, fetchCallWithLegs } from '@mctb/twilio-kit';
import { Client, Connection } from '@temporalio/client';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { CallSettlement } from './call-settlement.js';
import { CallSweeper } from './call-sweeper.js';
import { TemporalTextBack } from './temporal-text-back.js';

const ACCOUNT_SID = 'AC5eed0000000000000000000000000001';
const AUTH_TOKEN = 'sweeper-auth-token';
const NUMBER = '+15125550100';

describe('CallSweeper: nothing a crash or an outage leaves behind stays lost', () => {
  let database: TestDatabase;
  let orm: Orm;
  let server: RunningTemporal;
  let connection: Connection;
  let temporal: Client;
  let twilio: FakeTwilio;
  let subAccountId: string;
  let settlement: CallSettlement;
  let sweeper: CallSweeper;

  beforeAll(async () => {
    database = await createEmptyDatabase('sweeper');
    orm = await createOrm(database.url);
    await migrate(orm);
    ({ subAccountId } = await setUpAccount(orm.em.fork(), firstPartyPlugins(), {
      agencyName: 'Acme',
      subAccount: { name: 'Greenfield', timeZone: 'UTC', twilioNumber: NUMBER, forwardingNumber: '+15125550199' },
      snapshotYaml: await readFile(join(repoRoot, 'snapshots/missed-call-text-back.yaml'), 'utf8'),
      customValues: { booking_link: 'https://book.example' },
    }));
    server = await startTemporalDevServer({ cli: inject('temporalCli'), port: await freePort() });
    connection = await Connection.connect({ address: server.address });
    temporal = new Client({ connection });
    twilio = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: twilio.url });
    const textBack = new TemporalTextBack(temporal);
    settlement = new CallSettlement({ orm, textBack, log: silentLogger, deadlineMs: 5_000, now: () => new Date() });
    sweeper = new CallSweeper({
      orm,
      settlement,
      textBack,
      providerCalls: {
        async find(callSid) {
          const call = await fetchCallWithLegs(client, callSid);
          return call && { ...call, legs: call.legs.map((leg) => ({ ...leg, answeredBy: leg.answeredBy as 'human' | 'machine_start' | null })) };
        },
      },
      thresholds: { unsignalledAfterSeconds: 1, unsettledAfterSeconds: 60, noOutcomeAfterSeconds: 60 },
    });
  });
  afterAll(async () => {
    await twilio?.stop();
    await connection?.close();
    await server?.stop();
    await orm?.close();
    await database?.drop();
  });

  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  const calls = () => new CallStore(orm);
  const call = (callSid: string) => orm.em.fork().findOneOrFail(Call, { callSid });
  const store = (callSid: string, caller: string, startedMinutesAgo: number) =>
    calls().recordIncoming({ subAccountId, callSid, fromRaw: caller, callerPhone: caller, untextableReason: null, toNumber: NUMBER, startedAt: minutesAgo(startedMinutesAgo) });
  const missedCallSignals = async (caller: string) => {
    const history = await temporal.workflow.getHandle(textBackWorkflowId(subAccountId, caller)).fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'missedCall');
  };

  it('re-signals an outcome that was stored but never signalled (the gateway died in between)', async () => {
    const caller = '+15125550141';
    await store('CA-crashed', caller, 2);
    // What the gateway stored before dying: the outcome and its decision, but no signal.
    await calls().recordOutcome('CA-crashed', { outcome: 'no_answer', source: 'dial', ringSeconds: 18, endedAt: minutesAgo(1) });
    expect(await call('CA-crashed')).toMatchObject({ intakeDecision: 'text_back', signalledAt: null });

    expect((await sweeper.sweep())?.resignalled).toBe(1);
    expect(await missedCallSignals(caller)).toHaveLength(1);
    expect((await call('CA-crashed')).signalledAt).toBeInstanceOf(Date);
    // Once signalled it is no longer due: the next sweep leaves it alone.
    expect((await sweeper.sweep())?.resignalled).toBe(0);
  });

  it('re-drives a text-back whose workflow stopped before settling it, then backs off', async () => {
    const caller = '+15125550142';
    await store('CA-orphan', caller, 10);
    const { call: stored } = await calls().recordOutcome('CA-orphan', { outcome: 'no_answer', source: 'dial', ringSeconds: 18, endedAt: minutesAgo(9) });
    await settlement.act(stored);
    const handle = temporal.workflow.getHandle(textBackWorkflowId(subAccountId, caller));
    const firstRun = (await handle.describe()).runId;
    await handle.terminate('lost in an outage');
    await orm.em.fork().nativeUpdate(Call, { callSid: 'CA-orphan' }, { signalledAt: minutesAgo(9) });

    expect((await sweeper.sweep())?.redriven).toBe(1);
    const rerun = await handle.describe();
    expect(rerun.runId).not.toBe(firstRun);
    expect(rerun.status.name).toBe('RUNNING');
    expect((await call('CA-orphan')).sweepAfter!.getTime()).toBeGreaterThan(Date.now());
    // Looked at just now: not again until its back-off has passed.
    expect((await sweeper.sweep())?.redriven).toBe(0);
  });

  it('leaves a text-back its open run already has (a long delay) waiting, without waking the run; a call a later run never got is re-driven', async () => {
    // Every signalled call is due at once, and the clocks here agree.
    const eager = new CallSweeper({ orm, settlement, textBack: new TemporalTextBack(temporal), thresholds: { unsettledAfterSeconds: 0, clockSkewSeconds: 0 } });
    const caller = '+15125550146';
    await store('CA-waiting', caller, 10);
    const { call: stored } = await calls().recordOutcome('CA-waiting', { outcome: 'no_answer', source: 'dial', ringSeconds: 18, endedAt: minutesAgo(9) });
    await settlement.act(stored);
    expect(await missedCallSignals(caller)).toHaveLength(1);

    expect((await eager.sweep())?.redriven).toBe(0);
    expect(await missedCallSignals(caller)).toHaveLength(1);
    // Looked at: its back-off is recorded as for a re-driven call.
    expect((await call('CA-waiting')).sweepAfter).toBeInstanceOf(Date);

    // Signalled before the open run started: that run is a later one, which never got this call.
    await orm.em.fork().nativeUpdate(Call, { callSid: 'CA-waiting' }, { signalledAt: minutesAgo(9), sweepAfter: null });
    expect((await eager.sweep())?.redriven).toBe(1);
    expect(await missedCallSignals(caller)).toHaveLength(2);
  });

  it('settles a call whose dial result never arrived from what Twilio knows of it', async () => {
    const missed = '+15125550143';
    await store('CA-no-result', missed, 10);
    twilio.addCall({ sid: 'CA-no-result', status: 'completed', durationSeconds: 45, from: missed, to: NUMBER });
    twilio.addCall({ sid: 'CA-leg-1', parentCallSid: 'CA-no-result', status: 'no-answer', durationSeconds: 0 });

    const voicemailed = '+15125550144';
    await store('CA-carrier-vm', voicemailed, 10);
    twilio.addCall({ sid: 'CA-carrier-vm', status: 'completed', durationSeconds: 60, from: voicemailed, to: NUMBER });
    twilio.addCall({ sid: 'CA-leg-2', parentCallSid: 'CA-carrier-vm', status: 'completed', durationSeconds: 30, answeredBy: 'machine_start' });

    const talked = '+15125550145';
    await store('CA-talked', talked, 10);
    twilio.addCall({ sid: 'CA-talked', status: 'completed', durationSeconds: 300, from: talked, to: NUMBER });
    twilio.addCall({ sid: 'CA-leg-3', parentCallSid: 'CA-talked', status: 'completed', durationSeconds: 280, answeredBy: 'human' });

    await store('CA-still-talking', '+15125550146', 10);
    twilio.addCall({ sid: 'CA-still-talking', status: 'in-progress', from: '+15125550146', to: NUMBER });

    expect((await sweeper.sweep())?.settledFromProvider).toBe(3);
    expect(await call('CA-no-result')).toMatchObject({ outcome: 'no_answer', outcomeSource: 'sweeper', intakeDecision: 'text_back' });
    expect(await missedCallSignals(missed)).toHaveLength(1);
    expect(await call('CA-carrier-vm')).toMatchObject({ outcome: 'no_answer', intakeDecision: 'text_back', outcomeDetail: expect.stringMatching(/machine/) });
    expect(await call('CA-talked')).toMatchObject({ outcome: 'answered', intakeDecision: 'skip', intakeReason: 'answered' });
    const stillTalking = await call('CA-still-talking');
    expect(stillTalking.outcome).toBeNull();
    expect(stillTalking.sweepAfter!.getTime()).toBeGreaterThan(Date.now());
  });

  it('sweeps one at a time across workers, and records each sweep it ran', async () => {
    const runs = () => orm.em.fork().execute<{ sweeper: string; resignalled: number; ordered: boolean }[]>(
      `select sweeper, resignalled, started_at <= finished_at as ordered from sweep_runs order by id`,
    );
    const before = (await runs()).length;
    // Another worker is mid-sweep: it holds the sweep lock in its transaction.
    await orm.em.fork().transactional(async (em) => {
      await em.execute('select pg_advisory_xact_lock(7411930202)');
      expect(await sweeper.sweep()).toBeNull();
    });
    expect(await runs()).toHaveLength(before);
    await store('CA-recorded', '+15125550177', 10);
    await calls().recordOutcome('CA-recorded', { outcome: 'no_answer', source: 'dial', ringSeconds: 18, endedAt: minutesAgo(5) });
    const named = new CallSweeper({ orm, settlement, textBack: new TemporalTextBack(temporal), name: 'worker-b/42', thresholds: { unsignalledAfterSeconds: 1 } });
    expect(await named.sweep()).toMatchObject({ resignalled: 1 });
    expect((await runs()).slice(before)).toEqual([{ sweeper: 'worker-b/42', resignalled: 1, ordered: true }]);
  });
});
