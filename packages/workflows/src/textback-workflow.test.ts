import { createEmptyDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BUSINESS, eventually, startTextBackHarness, type TextBackHarness } from './testing/harness.js';
import { callAnsweredSignal, callerTextedSignal } from './textback-signals.js';

const EXPECTED_TEXT =
  `Hi there, sorry we missed your call at ${BUSINESS}! How can we help? Book a time: https://book.example/greenfield - The team`;

describe('textBackWorkflow (time-skipping test server, real activities and PostgreSQL)', () => {
  let h: TextBackHarness;
  beforeAll(async () => {
    h = await startTextBackHarness({ database: await createEmptyDatabase('workflows'), testServer: inject('temporalTestServer') });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('texts a missed caller once the 60 s delay has passed, with the rendered template', async () => {
    const caller = '+15125550101';
    const callSid = await h.missedCall(caller);

    await h.env.sleep('45 seconds');
    expect((await h.state(caller)).phase).toBe('delaying');
    expect(await h.outbox(caller)).toHaveLength(0);

    await h.env.sleep('20 seconds');
    await eventually(async () => expect((await h.state(caller)).phase).toBe('dedup_window'));
    const texts = await h.outbox(caller);
    expect(texts.map((t) => [t.fromNumber, t.toNumber, t.body])).toEqual([[h.twilioNumber, caller, EXPECTED_TEXT]]);
    expect(await h.call(callSid)).toMatchObject({ textBackStatus: 'sent', textBackReason: null });
  });

  it('cancels the pending text when the caller is answered on a later call', async () => {
    const caller = '+15125550102';
    const callSid = await h.missedCall(caller);
    await h.env.sleep('20 seconds');
    await h.handle(caller).signal(callAnsweredSignal, { callSid: 'CA-later-answered' });

    const final = await h.handle(caller).result();
    expect(final.cancelledBecause).toMatch(/answered/);
    expect(await h.outbox(caller)).toHaveLength(0);
    expect(await h.call(callSid)).toMatchObject({ textBackStatus: 'skipped', textBackReason: expect.stringMatching(/answered/) });
  });

  it('cancels the pending text when the caller texts first', async () => {
    const caller = '+15125550103';
    await h.missedCall(caller);
    await h.handle(caller).signal(callerTextedSignal, { messageSid: 'SM-first' });
    await h.handle(caller).result();
    expect(await h.outbox(caller)).toHaveLength(0);
  });

  it('sends nothing for a second missed call inside the 24 h window, and texts again after it', async () => {
    const caller = '+15125550104';
    await h.missedCall(caller);
    await h.env.sleep('61 seconds');
    await eventually(async () => expect(await h.outbox(caller)).toHaveLength(1));

    await h.env.sleep('5 hours');
    const second = await h.missedCall(caller);
    await eventually(async () => expect(await h.call(second)).toMatchObject({ textBackStatus: 'skipped' }));
    expect((await h.call(second)).textBackReason).toMatch(/^dedup: already texted within the 24h window/);
    expect(await h.outbox(caller)).toHaveLength(1);

    // The run ends when the window does; the next missed call starts a fresh one.
    await h.handle(caller).result();
    const third = await h.missedCall(caller);
    await h.env.sleep('61 seconds');
    await eventually(async () => expect(await h.outbox(caller)).toHaveLength(2));
    expect(await h.call(third)).toMatchObject({ textBackStatus: 'sent' });
  });

  it('collapses missed calls inside one delay into one text', async () => {
    const caller = '+15125550105';
    const first = await h.missedCall(caller);
    await h.env.sleep('30 seconds');
    const second = await h.missedCall(caller);
    await h.env.sleep('31 seconds');
    await eventually(async () => expect(await h.call(first)).toMatchObject({ textBackStatus: 'sent' }));
    expect(await h.call(second)).toMatchObject({ textBackStatus: 'skipped', textBackReason: expect.stringMatching(/^collapsed/) });
    expect(await h.outbox(caller)).toHaveLength(1);
  });

  it('counts a call once however often its webhook is repeated', async () => {
    const caller = '+15125550106';
    const callSid = await h.missedCall(caller);
    await Promise.all([1, 2, 3, 4, 5].map(() => h.resignal(caller, callSid)));
    await h.env.sleep('61 seconds');
    await eventually(async () => expect((await h.state(caller)).phase).toBe('dedup_window'));
    expect((await h.state(caller)).callSids).toEqual([callSid]);
    expect(await h.outbox(caller)).toHaveLength(1);
  });
});
