import { Contact, Message } from '@mctb/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_NUMBER, startGatewayHarness, type GatewayHarness } from './testing/harness.js';

describe('gateway SMS webhooks', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const text = (messageSid: string, from: string, body: string) =>
    h.post('/twilio/sms/incoming', { MessageSid: messageSid, SmsSid: messageSid, From: from, To: BUSINESS_NUMBER, Body: body, NumMedia: '0' });
  const signalsTo = async (caller: string) => {
    const history = await h.temporal.workflow.getHandle(`textback/${h.subAccountId}/${caller}`).fetchHistory();
    return (history.events ?? []).flatMap((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? []);
  };
  const contact = (phone: string) => h.orm.em.fork().findOne(Contact, { subAccount: h.subAccountId, phone });

  it('stores an inbound text once in the contact conversation, however often it is delivered', async () => {
    const from = '+15125550121';
    await Promise.all([1, 2, 3].map(() => text('SM-in-1', from, 'Hi, do you fix water heaters?')));
    const stored = await h.orm.em.fork().find(Message, { providerMessageId: 'SM-in-1' });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ direction: 'inbound', status: 'received', body: 'Hi, do you fix water heaters?', fromNumber: from });
    expect(await contact(from)).toMatchObject({ source: 'inbound_sms', optedOutAt: null });
  });

  it('opts the contact out on STOP at once and confirms exactly once', async () => {
    const from = '+15125550122';
    const first = await text('SM-stop-1', from, '  Stop. ');
    expect(await first.text()).toContain("<Message>You're unsubscribed from Greenfield Plumbing texts");
    expect((await contact(from))?.optedOutAt).toBeInstanceOf(Date);

    const repeat = await text('SM-stop-1', from, '  Stop. ');
    expect(await repeat.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const replies = await h.orm.em.fork().find(Message, { toNumber: from, direction: 'outbound' });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ status: 'queued', body: expect.stringContaining('Reply START to resubscribe') });

    await text('SM-start-1', from, 'START');
    expect((await contact(from))?.optedOutAt).toBeNull();
  });

  it('answers HELP with the business name and how to reach it', async () => {
    const response = await text('SM-help-1', '+15125550123', 'help');
    expect(await response.text()).toContain(`Greenfield Plumbing: call us at ${BUSINESS_NUMBER}. Reply STOP to unsubscribe.`);
  });

  it('answers a text from a sender that is not a phone number (a short code, a name) with empty TwiML, storing nothing', async () => {
    const response = await text('SM-bad-1', 'not-a-number', 'hello');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await h.orm.em.fork().count(Message, { providerMessageId: 'SM-bad-1' })).toBe(0);
  });

  it('confirms an opt-out once: a second STOP from an opted-out contact gets no further text', async () => {
    const from = '+15125550125';
    expect(await (await text('SM-stop-a', from, 'STOP')).text()).toContain("You're unsubscribed");
    expect(await (await text('SM-stop-b', from, 'stop')).text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await (await text('SM-stop-c', from, 'UNSUBSCRIBE')).text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await h.orm.em.fork().count(Message, { toNumber: from, direction: 'outbound' })).toBe(1);
    // Opting back in and out again is a new opt-out, confirmed again.
    expect(await (await text('SM-start-a', from, 'START')).text()).toContain("You're resubscribed");
    expect(await (await text('SM-stop-d', from, 'STOP')).text()).toContain("You're unsubscribed");
  });

  it('treats YES / START from a contact who never opted out as a normal reply: no auto-reply, and the pending text-back is cancelled', async () => {
    const from = '+15125550126';
    await h.post('/twilio/voice/incoming', { CallSid: 'CA-then-yes', From: from, To: BUSINESS_NUMBER });
    await h.post('/twilio/voice/dial-result?accept=0&amd=0&min=0', { CallSid: 'CA-then-yes', From: from, To: BUSINESS_NUMBER, DialCallStatus: 'no-answer' });
    const response = await text('SM-yes', from, 'Yes!');
    expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await h.orm.em.fork().count(Message, { toNumber: from, direction: 'outbound' })).toBe(0);
    expect(await signalsTo(from)).toContain('callerTexted');
  });

  it('answers HELP and INFO and still cancels the pending text-back (the caller is talking to us)', async () => {
    const from = '+15125550127';
    await h.post('/twilio/voice/incoming', { CallSid: 'CA-then-help', From: from, To: BUSINESS_NUMBER });
    await h.post('/twilio/voice/dial-result?accept=0&amd=0&min=0', { CallSid: 'CA-then-help', From: from, To: BUSINESS_NUMBER, DialCallStatus: 'no-answer' });
    expect(await (await text('SM-info', from, 'INFO')).text()).toContain('Greenfield Plumbing: call us at');
    expect(await signalsTo(from)).toContain('callerTexted');
  });

  it('applies delivery reports forward only, found by our intent id from the callback URL', async () => {
    const em = h.orm.em.fork();
    await em.getRepository(Message).recordIntent({
      intentId: 'intent/for/status', subAccountId: h.subAccountId, contactId: null, callId: null,
      fromNumber: BUSINESS_NUMBER, toNumber: '+15125550124', body: 'Hi', provider: 'twilio', segments: 1,
    });
    const report = (status: string, errorCode?: string) =>
      h.post(`/twilio/sms/status?intent=${encodeURIComponent('intent/for/status')}`, {
        MessageSid: 'SM-out-1', MessageStatus: status, ...(errorCode ? { ErrorCode: errorCode } : {}),
      });
    expect((await report('sent')).status).toBe(204);
    expect((await report('undelivered', '30003')).status).toBe(204);
    expect((await report('sent')).status).toBe(204); // late and out of order: ignored
    const message = await h.orm.em.fork().findOneOrFail(Message, { intentId: 'intent/for/status' });
    expect(message).toMatchObject({ providerMessageId: 'SM-out-1', status: 'undelivered', errorCode: 30003 });

    const stranger = await h.post('/twilio/sms/status', { MessageSid: 'SM-not-ours', MessageStatus: 'delivered' });
    expect(stranger.status).toBe(404);
  });
});
