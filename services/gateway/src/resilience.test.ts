import { Message } from '@mctb/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_NUMBER, startGatewayHarness, type GatewayHarness } from './testing/harness.js';

/**
 * A webhook answers the caller with TwiML whatever PostgreSQL or Temporal do: what can be stored
 * is stored, the caller goes to voicemail, and the rest is left to a re-drive.
 */
describe('webhooks while PostgreSQL or Temporal is down', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness();
  });
  afterEach(async () => {
    await h.restoreLinks();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const ring = (callSid: string, from: string) => h.post('/twilio/voice/incoming', { CallSid: callSid, From: from, To: BUSINESS_NUMBER });
  const noAnswer = (callSid: string, from: string) =>
    h.post('/twilio/voice/dial-result?accept=0&amd=0&min=0', { CallSid: callSid, From: from, To: BUSINESS_NUMBER, DialCallStatus: 'no-answer' });

  it('Temporal unreachable at the dial result: voicemail TwiML, the outcome stored, and the sweeper signals it later', async () => {
    const caller = '+15125550151';
    await ring('CA-temporal-down', caller);
    await h.temporalLink.set('down');
    const response = await noAnswer('CA-temporal-down', caller);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Please leave a message after the tone.');
    expect(await h.call('CA-temporal-down')).toMatchObject({ outcome: 'no_answer', intakeDecision: 'text_back', signalledAt: null });
    expect(await h.missedCallSignals(caller)).toEqual([]);

    await h.restoreLinks();
    expect((await h.sweeper.sweep())?.resignalled).toBeGreaterThanOrEqual(1);
    expect((await h.missedCallSignals(caller)).map((s) => s.callSid)).toEqual(['CA-temporal-down']);
    expect((await h.call('CA-temporal-down'))?.signalledAt).toBeInstanceOf(Date);
  });

  it('Temporal hanging at the dial result: the webhook gives up in time and still answers TwiML', async () => {
    const caller = '+15125550152';
    await ring('CA-temporal-hangs', caller);
    await h.temporalLink.set('hang');
    const response = await noAnswer('CA-temporal-hangs', caller);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<Record ');
    expect(await h.call('CA-temporal-hangs')).toMatchObject({ outcome: 'no_answer', signalledAt: null });
  });

  it('PostgreSQL down: a known number still rings the business, and the missed call is kept in Temporal', async () => {
    const caller = '+15125550153';
    await ring('CA-warmup', '+15125550150'); // the gateway has routed this number before
    await h.postgresLink.set('down');
    const forwarded = await ring('CA-db-down', caller);
    expect(forwarded.status).toBe(200);
    expect(await forwarded.text()).toContain('<Dial ');
    const missed = await noAnswer('CA-db-down', caller);
    expect(missed.status).toBe(200);
    expect(await missed.text()).toContain('<Record ');
    expect(await h.call('CA-db-down')).toBeNull();
    // Nothing is lost: the workflow has every fact, to store once PostgreSQL is back.
    const [signal] = await h.missedCallSignals(caller);
    expect(signal).toMatchObject({ callSid: 'CA-db-down', outcome: 'no_answer', unstored: { fromRaw: caller, toNumber: BUSINESS_NUMBER, source: 'dial', dialCallStatus: 'no-answer' } });
  });

  it('PostgreSQL down and the number never seen: the caller is still offered voicemail, not an application error', async () => {
    const fresh = await startGatewayHarness();
    try {
      await fresh.postgresLink.set('down');
      const response = await fresh.post('/twilio/voice/incoming', { CallSid: 'CA-cold', From: '+15125550154', To: BUSINESS_NUMBER });
      expect(response.status).toBe(200);
      const twiml = await response.text();
      expect(twiml).toContain("Sorry, we can't take your call right now.");
      expect(twiml).toContain('/twilio/voice/recording?missed=failed');
      // The recording arrives once PostgreSQL is back: the call is stored and counted as a voicemail.
      await fresh.postgresLink.set('open');
      const recorded = await fresh.post('/twilio/voice/recording?missed=failed', {
        CallSid: 'CA-cold', From: '+15125550154', To: BUSINESS_NUMBER, RecordingUrl: 'https://api.twilio.com/rec/RE9', RecordingDuration: '9',
      });
      expect(recorded.status).toBe(200);
      expect(await fresh.call('CA-cold')).toMatchObject({ outcome: 'voicemail', intakeDecision: 'text_back' });
    } finally {
      await fresh.stop();
    }
  });

  it('PostgreSQL down for an inbound text: TwiML, and the pending text-back is still cancelled', async () => {
    const caller = '+15125550155';
    await ring('CA-then-text', caller);
    await noAnswer('CA-then-text', caller);
    await h.postgresLink.set('down');
    const response = await h.post('/twilio/sms/incoming', { MessageSid: 'SM-db-down', From: caller, To: BUSINESS_NUMBER, Body: 'call me back' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await h.orm.em.fork().count(Message, { providerMessageId: 'SM-db-down' })).toBe(0);
    const history = await h.temporal.workflow.getHandle(`textback/${h.subAccountId}/${caller}`).fetchHistory();
    expect((history.events ?? []).some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'callerTexted')).toBe(true);
  });

  it('a delivery report while PostgreSQL is down gets an answer, not a 500', async () => {
    await h.postgresLink.set('down');
    const response = await h.post('/twilio/sms/status', { MessageSid: 'SM-out-x', MessageStatus: 'delivered' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/xml/);
  });
});
