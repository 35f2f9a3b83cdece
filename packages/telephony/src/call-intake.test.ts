import { setUpAccount } from '@mctb/control';
import { Call, createOrm, migrate, type Orm } from '@mctb/db';
import { repoRoot } from '@mctb/devstack';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { createEmptyDatabase, type TestDatabase } from '@mctb/testkit';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallIntake } from './call-intake.js';
import type { TextBackPort } from './text-back-port.js';

const NUMBER = '+15125550100';
const screening = { pressOneToAccept: false, machineDetection: false, minAnsweredSeconds: 0 };

const idleTextBack: TextBackPort = { async missedCall() {}, openRunStartedAt: async () => null, async callAnswered() {}, async pluginVerdict() {}, async callerTexted() {}, async optedOut() {}, async messageReceived() {} };

describe('CallIntake and the text-back workflow write apart', () => {
  let database: TestDatabase;
  let orm: Orm;

  beforeAll(async () => {
    database = await createEmptyDatabase('intake');
    orm = await createOrm(database.url);
    await migrate(orm);
    await setUpAccount(orm.em.fork(), firstPartyPlugins(), {
      agencyName: 'Acme',
      subAccount: { name: 'Greenfield', timeZone: 'UTC', twilioNumber: NUMBER, forwardingNumber: '+15125550199' },
      snapshotYaml: await readFile(join(repoRoot, 'snapshots/missed-call-text-back.yaml'), 'utf8'),
      customValues: { booking_link: 'https://book.example' },
    });
  });
  afterAll(async () => {
    await orm?.close();
    await database?.drop();
  });

  it("never overwrites what the workflow recorded, even when the workflow settles the call before intake has finished", async () => {
    // A workflow fast enough to skip the text while intake is still busy with the same webhook
    // (e.g. text-back disabled): the worker writes "skipped" during the signal itself.
    const fastWorkflow: TextBackPort = {
      async missedCall(_subAccountId, _caller, call) {
        await orm.em.fork().nativeUpdate(Call, { callSid: call.callSid }, { textBackStatus: 'skipped', textBackReason: 'disabled: text-back is off' });
      },
      openRunStartedAt: async () => null,
      async callAnswered() {},
      async pluginVerdict() {},
      async callerTexted() {},
      async optedOut() {},
      async messageReceived() {},
    };
    const intake = new CallIntake({ orm, textBack: fastWorkflow, plugins: firstPartyPlugins() });
    const report = { callSid: 'CA-race', from: '+15125550161', to: NUMBER };
    await intake.incoming(report);
    await intake.dialResult({ ...report, dialCallStatus: 'no-answer', connectedSeconds: null, screening });
    // A repeated webhook acts again on the same call.
    await intake.dialResult({ ...report, dialCallStatus: 'no-answer', connectedSeconds: null, screening });

    const call = await orm.em.fork().findOneOrFail(Call, { callSid: 'CA-race' });
    expect(call).toMatchObject({ textBackStatus: 'skipped', textBackReason: 'disabled: text-back is off', intakeDecision: 'text_back' });
    expect(call.signalledAt).toBeInstanceOf(Date);
  });

  it('keeps taking calls when a migration adds a column while it runs (its statements stay valid)', async () => {
    const intake = new CallIntake({ orm, textBack: idleTextBack, plugins: firstPartyPlugins() });
    const before = { callSid: 'CA-before-migration', from: '+15125550162', to: NUMBER };
    await intake.incoming(before);
    await intake.dialResult({ ...before, dialCallStatus: 'no-answer', connectedSeconds: null, screening });

    // What a newer release's migration does while this one is still answering webhooks.
    await orm.em.fork().execute('alter table calls add column added_by_a_later_release text');
    const after = { callSid: 'CA-after-migration', from: '+15125550163', to: NUMBER };
    await intake.incoming(after);
    await intake.dialResult({ ...after, dialCallStatus: 'busy', connectedSeconds: null, screening });
    await intake.dialResult({ ...before, dialCallStatus: 'no-answer', connectedSeconds: null, screening });

    const calls = await orm.em.fork().find(Call, { callSid: { $in: [before.callSid, after.callSid] } }, { orderBy: { callSid: 'asc' } });
    expect(calls.map((call) => [call.callSid, call.outcome, call.intakeDecision])).toEqual([
      ['CA-after-migration', 'declined', 'text_back'],
      ['CA-before-migration', 'no_answer', 'text_back'],
    ]);
  });
});
