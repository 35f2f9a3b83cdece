import { Call, Contact, Message } from '@mctb/db';
import { createEmptyDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, startTextBackHarness, type TextBackHarness } from './testing/harness.js';
import { missedCallSignal, TEXT_BACK_TASK_QUEUE } from './textback-signals.js';
import { textBackWorkflow } from './textback-workflow.js';

describe('textBackWorkflow recovers from what intake and outages leave behind', () => {
  let h: TextBackHarness;
  beforeAll(async () => {
    h = await startTextBackHarness({ database: await createEmptyDatabase('workflows'), testServer: inject('temporalTestServer') });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('stores a missed call intake could not store (PostgreSQL was down) and texts it', async () => {
    const caller = '+15125550601';
    const startedAt = Date.now() - 30_000;
    await h.env.client.workflow.signalWithStart(textBackWorkflow, {
      taskQueue: TEXT_BACK_TASK_QUEUE,
      workflowId: `textback/${h.subAccountId}/${caller}`,
      args: [{ subAccountId: h.subAccountId, callerPhone: caller }],
      signal: missedCallSignal,
      signalArgs: [
        {
          callSid: 'CA-unstored',
          outcome: 'no_answer',
          at: Date.now(),
          unstored: { fromRaw: caller, toNumber: h.twilioNumber, startedAt, source: 'dial', dialCallStatus: 'no-answer', ringSeconds: 18 },
        },
      ],
    });
    await h.env.sleep('61 seconds');
    await eventually(async () => expect(await h.outbox(caller)).toHaveLength(1));
    const call = await h.call('CA-unstored');
    expect(call).toMatchObject({ outcome: 'no_answer', outcomeSource: 'dial', dialCallStatus: 'no-answer', intakeDecision: 'text_back', textBackStatus: 'sent' });
    expect(call.startedAt.getTime()).toBe(startedAt);
    expect(call.signalledAt).toBeInstanceOf(Date);
  });

  it('keeps retrying while PostgreSQL is unreachable, well past any attempt cap, and texts once it is back', async () => {
    const caller = '+15125550602';
    await h.databaseLink.set('down');
    const callSid = await h.missedCall(caller);
    // Twenty minutes of an outage, in skipped time: the retries wait on timers, back to back.
    await h.env.sleep('20 minutes');
    const history = await h.handle(caller).fetchHistory();
    const retries = (history.events ?? []).filter((e) => e.timerFiredEventAttributes).length;
    // The old policies gave up after 3 (hooks) or 20 (database) attempts and failed the workflow.
    expect(retries).toBeGreaterThan(25);
    expect((await h.handle(caller).describe()).status.name).toBe('RUNNING');
    expect(await h.outbox(caller)).toHaveLength(0);

    await h.databaseLink.set('open');
    await h.env.sleep('61 seconds');
    await eventually(async () => expect(await h.call(callSid)).toMatchObject({ textBackStatus: 'sent' }), { timeoutMs: 60_000 });
    expect(await h.outbox(caller)).toHaveLength(1);
  });

  it('does not text a canned message to a caller who texted within the dedup window', async () => {
    const caller = '+15125550603';
    const em = h.orm.em.fork();
    const { contact } = await em.getRepository(Contact).findOrCreateByPhone(h.subAccountId, caller, 'inbound_sms');
    await em.getRepository(Message).recordInbound({
      subAccountId: h.subAccountId, contactId: contact.id, providerMessageId: 'SM-texted-first', fromNumber: caller,
      toNumber: h.twilioNumber, body: 'Is anyone there?', provider: 'twilio',
    });
    const callSid = await h.missedCall(caller);
    await h.env.sleep('61 seconds');
    await eventually(async () =>
      expect(await h.call(callSid)).toMatchObject({ textBackStatus: 'skipped', textBackReason: 'conversation: the caller texted within the last 24h' }),
    );
    expect(await h.outbox(caller)).toHaveLength(0);
  });

  it('sends one text per window even when the workflow that sent it was lost', async () => {
    const caller = '+15125550604';
    await h.missedCall(caller);
    await h.env.sleep('61 seconds');
    await eventually(async () => expect(await h.outbox(caller)).toHaveLength(1));
    await h.handle(caller).terminate('lost in an outage');

    const again = await h.missedCall(caller);
    await h.env.sleep('61 seconds');
    await eventually(async () =>
      expect(await h.call(again)).toMatchObject({ textBackStatus: 'skipped', textBackReason: 'dedup: already texted within the 24h window' }),
    );
    expect(await h.outbox(caller)).toHaveLength(1);
    expect(await h.orm.em.fork().count(Call, { callSid: again })).toBe(1);
  });
});
