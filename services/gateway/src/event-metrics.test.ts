import { Message } from '@mctb/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_NUMBER, startGatewayHarness, type GatewayHarness } from './testing/harness.js';

describe('gateway Prometheus counters', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** The counters' series as name{labels} → value. */
  const counters = async () => {
    const text = await (await h.app.request('/metrics')).text();
    return Object.fromEntries(text.split('\n').filter((line) => line.startsWith('mctb_')).map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))]));
  };
  const call = (callSid: string, from: string) => h.post('/twilio/voice/incoming', { CallSid: callSid, From: from, To: BUSINESS_NUMBER, CallStatus: 'ringing' });
  const dialEnded = (callSid: string, from: string, status: string) =>
    h.post('/twilio/voice/dial-result?accept=0&amd=0&min=0', { CallSid: callSid, From: from, To: BUSINESS_NUMBER, DialCallStatus: status, CallStatus: 'in-progress' });
  const text = (messageSid: string, from: string, body: string) =>
    h.post('/twilio/sms/incoming', { MessageSid: messageSid, SmsSid: messageSid, From: from, To: BUSINESS_NUMBER, Body: body, NumMedia: '0' });

  it('counts each call once by its first outcome and each refinement by from/to, texts in and opt-outs once, delivery reports as they come', async () => {
    // A missed call whose dial result Twilio repeats; an answered one; a busy one a recording makes a voicemail.
    await call('CA-m-1', '+15125550201');
    await dialEnded('CA-m-1', '+15125550201', 'no-answer');
    await dialEnded('CA-m-1', '+15125550201', 'no-answer');
    await call('CA-m-2', '+15125550202');
    await dialEnded('CA-m-2', '+15125550202', 'answered');
    await call('CA-m-3', '+15125550203');
    await dialEnded('CA-m-3', '+15125550203', 'busy');
    await h.post('/twilio/voice/recording?missed=declined', { CallSid: 'CA-m-3', From: '+15125550203', To: BUSINESS_NUMBER, RecordingUrl: 'https://api.twilio.com/rec/RE9', RecordingDuration: '9' });

    // A reply delivered twice, a STOP (and the same STOP again).
    await text('SM-m-1', '+15125550201', 'yes please call me');
    await text('SM-m-1', '+15125550201', 'yes please call me');
    await text('SM-m-2', '+15125550204', 'STOP');
    await text('SM-m-2', '+15125550204', 'STOP');

    // Delivery reports for a text of ours: sent, then delivered.
    await h.orm.em.fork().getRepository(Message).recordIntent({
      intentId: 'intent/metrics', subAccountId: h.subAccountId, contactId: null, callId: null,
      fromNumber: BUSINESS_NUMBER, toNumber: '+15125550201', body: 'Hi', provider: 'twilio', segments: 1,
    });
    for (const status of ['sent', 'delivered']) await h.post('/twilio/sms/status?intent=intent%2Fmetrics', { MessageSid: 'SM-out-m', MessageStatus: status });

    expect(await counters()).toEqual({
      'mctb_calls_total{outcome="no_answer"}': 1,
      'mctb_calls_total{outcome="answered"}': 1,
      'mctb_calls_total{outcome="declined"}': 1,
      'mctb_call_outcome_changes_total{from="declined",to="voicemail"}': 1,
      'mctb_inbound_texts_total': 2,
      'mctb_opt_outs_total': 1,
      'mctb_delivery_reports_total{status="sent"}': 1,
      'mctb_delivery_reports_total{status="delivered"}': 1,
    });
  });
});
