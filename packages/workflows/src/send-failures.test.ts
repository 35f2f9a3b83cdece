import { SubAccount } from '@mctb/db';
import { createEmptyDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { startTextBackHarness, type TextBackHarness } from './testing/harness.js';

describe('textBackWorkflow when the text cannot be sent', () => {
  let h: TextBackHarness;
  beforeAll(async () => {
    h = await startTextBackHarness({ database: await createEmptyDatabase('workflows'), testServer: inject('temporalTestServer') });
    // This worker has no Twilio credentials (the harness only gives it the outbox).
    await h.orm.em.fork().nativeUpdate(SubAccount, { id: h.subAccountId }, { smsProvider: 'twilio' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('fails the text-back once, with the reason, instead of retrying a setup problem', async () => {
    const caller = '+15125550501';
    const callSid = await h.missedCall(caller);
    const final = await h.handle(caller).result();
    expect(final.sentMessageId).toBeNull();
    expect(await h.call(callSid)).toMatchObject({
      textBackStatus: 'failed',
      textBackReason: expect.stringContaining('no SMS provider "twilio" is configured in this worker'),
    });
    const history = await h.handle(caller).fetchHistory();
    // A retried activity records its last attempt number when it starts; every step ran once.
    const retried = (history.events ?? []).filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1);
    expect(retried).toHaveLength(0);
  });
});
