import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_NUMBER, FORWARD_TO, PUBLIC_URL, startGatewayHarness, type GatewayHarness } from './testing/harness.js';

describe('gateway voice webhooks', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const ring = (callSid: string, from: string) => h.post('/twilio/voice/incoming', { CallSid: callSid, From: from, To: BUSINESS_NUMBER, CallStatus: 'ringing' });
  const dialEnded = (callSid: string, from: string, status: string) =>
    h.post('/twilio/voice/dial-result', { CallSid: callSid, From: from, To: BUSINESS_NUMBER, DialCallStatus: status, CallStatus: 'in-progress' });

  it('forwards an incoming call to the business with its ring timeout and a dial-result action', async () => {
    const response = await ring('CA-forward-1', '+15125550111');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/xml/);
    const twiml = await response.text();
    expect(twiml).toContain(`<Dial timeout="18" action="${PUBLIC_URL}/twilio/voice/dial-result" method="POST" answerOnBridge="true">`);
    expect(twiml).toContain(`<Number>${FORWARD_TO}</Number>`);
    expect(await h.call('CA-forward-1')).toMatchObject({ callerPhone: '+15125550111', outcome: null });
  });

  it('refuses a request with a bad signature with 403 and stores nothing', async () => {
    const response = await h.post('/twilio/voice/incoming', { CallSid: 'CA-forged', From: '+15125550112', To: BUSINESS_NUMBER }, { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/invalid X-Twilio-Signature/) });
    expect(await h.call('CA-forged')).toBeNull();
  });

  it('names missing fields (400), unknown numbers (404) and non-form bodies (415)', async () => {
    const missing = await h.post('/twilio/voice/dial-result', { From: '+15125550113', To: BUSINESS_NUMBER });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toBe('missing webhook fields: CallSid, DialCallStatus');

    const unknown = await h.post('/twilio/voice/incoming', { CallSid: 'CA-unknown', From: '+15125550113', To: '+15125559999' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toBe('no sub-account owns the number +15125559999');

    const weird = await h.post('/twilio/voice/dial-result', { CallSid: 'CA-weird', From: '+15125550113', To: BUSINESS_NUMBER, DialCallStatus: 'exploded' });
    expect(weird.status).toBe(400);

    const json = await h.app.request(`${PUBLIC_URL}/twilio/voice/incoming`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
  });

  it('stores a no-answer once however often Twilio repeats it, sends the caller to voicemail and starts the text-back', async () => {
    const caller = '+15125550114';
    await ring('CA-missed-1', caller);
    const responses = await Promise.all([1, 2, 3, 4, 5].map(() => dialEnded('CA-missed-1', caller, 'no-answer')));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<Record action="https://gateway.example.test/twilio/voice/recording"');
    }
    expect(await h.call('CA-missed-1')).toMatchObject({ outcome: 'no_answer', outcomeSource: 'dial', textBackStatus: 'pending' });
    const signals = await h.missedCallSignals(caller);
    expect(signals.length).toBeGreaterThan(0);
    expect(new Set(signals.map((s) => s.callSid))).toEqual(new Set(['CA-missed-1']));
  });

  it('records an answered call without starting a text-back, and a later no-answer report cannot undo it', async () => {
    const caller = '+15125550115';
    await ring('CA-answered', caller);
    const response = await dialEnded('CA-answered', caller, 'completed');
    expect(await response.text()).toContain('<Hangup/>');
    await dialEnded('CA-answered', caller, 'no-answer');
    expect(await h.call('CA-answered')).toMatchObject({ outcome: 'answered', textBackStatus: 'skipped', textBackReason: 'answered' });
    expect(await h.missedCallSignals(caller)).toEqual([]);
  });

  it('never texts an anonymous caller, and says why', async () => {
    await ring('CA-anon', 'anonymous');
    await dialEnded('CA-anon', 'anonymous', 'no-answer');
    expect(await h.call('CA-anon')).toMatchObject({
      callerPhone: null,
      untextableReason: 'anonymous',
      outcome: 'no_answer',
      textBackStatus: 'skipped',
      textBackReason: 'untextable caller ID: anonymous',
    });
  });

  it('turns a missed call into a voicemail when a recording arrives', async () => {
    const caller = '+15125550116';
    await ring('CA-vm', caller);
    await dialEnded('CA-vm', caller, 'busy');
    const response = await h.post('/twilio/voice/recording', {
      CallSid: 'CA-vm', From: caller, To: BUSINESS_NUMBER, RecordingUrl: 'https://api.twilio.com/rec/RE1', RecordingDuration: '14',
    });
    expect(response.status).toBe(200);
    expect(await h.call('CA-vm')).toMatchObject({ outcome: 'voicemail', outcomeSource: 'recording', recordingUrl: 'https://api.twilio.com/rec/RE1' });
  });

  it('classifies a caller who hung up while it rang from the final call status', async () => {
    const caller = '+15125550117';
    await ring('CA-gone', caller);
    const response = await h.post('/twilio/voice/status', { CallSid: 'CA-gone', From: caller, To: BUSINESS_NUMBER, CallStatus: 'completed' });
    expect(response.status).toBe(204);
    // It hung up within the same second: too short to count as a missed call worth a text.
    expect(await h.call('CA-gone')).toMatchObject({ outcome: 'abandoned', outcomeSource: 'status', textBackStatus: 'skipped', textBackReason: 'abandoned_after_0s' });
  });
});
