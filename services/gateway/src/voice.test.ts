import { SubAccount } from '@mctb/db';
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
  const dialEnded = (callSid: string, from: string, status: string, extra: Record<string, string> = {}, query = 'accept=0&amd=0&min=0') =>
    h.post(`/twilio/voice/dial-result?${query}`, { CallSid: callSid, From: from, To: BUSINESS_NUMBER, DialCallStatus: status, CallStatus: 'in-progress', ...extra });

  it('forwards an incoming call with its ring timeout, machine detection on the forwarded leg, and the screening in the dial action', async () => {
    const response = await ring('CA-forward-1', '+15125550111');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/xml/);
    const twiml = await response.text();
    expect(twiml).toContain(`<Dial timeout="18" action="${PUBLIC_URL}/twilio/voice/dial-result?accept=0&amp;amd=1&amp;min=0" method="POST" answerOnBridge="true">`);
    expect(twiml).toContain(`url="${PUBLIC_URL}/twilio/voice/screen?parent=CA-forward-1&amp;accept=0&amp;amd=1&amp;min=0"`);
    expect(twiml).toContain('machineDetection="Enable"');
    expect(twiml).toContain(`amdStatusCallback="${PUBLIC_URL}/twilio/voice/machine-verdict?parent=CA-forward-1"`);
    expect(twiml).toContain(`>${FORWARD_TO}</Number>`);
    expect(await h.call('CA-forward-1')).toMatchObject({ callerPhone: '+15125550111', outcome: null });
  });

  it('refuses a request with a bad signature with 403 and stores nothing', async () => {
    const response = await h.post('/twilio/voice/incoming', { CallSid: 'CA-forged', From: '+15125550112', To: BUSINESS_NUMBER }, { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/invalid X-Twilio-Signature/) });
    expect(await h.call('CA-forged')).toBeNull();
  });

  it('names missing fields (400), unknown numbers (404) and non-form bodies (415)', async () => {
    const missing = await h.post('/twilio/voice/dial-result', { From: '+15125550113' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toBe('missing webhook fields: CallSid, To');

    const noStatus = await h.post('/twilio/voice/dial-result', { CallSid: 'CA-nostatus', From: '+15125550113', To: BUSINESS_NUMBER });
    expect(((await noStatus.json()) as { error: string }).error).toBe('missing webhook field: DialCallStatus');

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
      expect(await response.text()).toContain('<Record action="https://gateway.example.test/twilio/voice/recording?missed=no_answer"');
    }
    const call = await h.call('CA-missed-1');
    expect(call).toMatchObject({ outcome: 'no_answer', outcomeSource: 'dial', intakeDecision: 'text_back', textBackStatus: null });
    expect(call?.signalledAt).toBeInstanceOf(Date);
    const signals = await h.missedCallSignals(caller);
    expect(signals.length).toBeGreaterThan(0);
    expect(new Set(signals.map((s) => s.callSid))).toEqual(new Set(['CA-missed-1']));
  });

  it('records an answered call without starting a text-back, and a later no-answer report cannot undo it', async () => {
    const caller = '+15125550115';
    await ring('CA-answered', caller);
    const response = await dialEnded('CA-answered', caller, 'completed', { DialCallDuration: '95' });
    expect(await response.text()).toContain('<Hangup/>');
    await dialEnded('CA-answered', caller, 'no-answer');
    expect(await h.call('CA-answered')).toMatchObject({ outcome: 'answered', connectedSeconds: 95, intakeDecision: 'skip', intakeReason: 'answered', textBackStatus: null });
    expect(await h.missedCallSignals(caller)).toEqual([]);
  });

  it('never texts an anonymous caller, and says why', async () => {
    await ring('CA-anon', 'anonymous');
    await dialEnded('CA-anon', 'anonymous', 'no-answer');
    expect(await h.call('CA-anon')).toMatchObject({
      callerPhone: null,
      untextableReason: 'anonymous',
      outcome: 'no_answer',
      intakeDecision: 'skip',
      intakeReason: 'untextable caller ID: anonymous',
    });
  });

  it('turns a missed call into a voicemail when a recording arrives', async () => {
    const caller = '+15125550116';
    await ring('CA-vm', caller);
    await dialEnded('CA-vm', caller, 'busy');
    const response = await h.post('/twilio/voice/recording?missed=declined', {
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
    expect(await h.call('CA-gone')).toMatchObject({ outcome: 'abandoned', outcomeSource: 'status', intakeDecision: 'skip', intakeReason: 'abandoned_after_0s' });
  });
});

describe('screening the forwarded call: a carrier voicemail is never an answer (DESIGN §3)', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const screening = async (over: Partial<Pick<SubAccount, 'pressOneToAccept' | 'machineDetection' | 'minAnsweredSeconds'>>) =>
    h.orm.em.fork().nativeUpdate(SubAccount, { id: h.subAccountId }, over);
  const ring = async (callSid: string, from: string) => {
    const twiml = await (await h.post('/twilio/voice/incoming', { CallSid: callSid, From: from, To: BUSINESS_NUMBER, CallStatus: 'ringing' })).text();
    // Follow the TwiML the way Twilio would: the dial action and the whisper URL it names.
    const unescape = (url: string) => url.replaceAll('&amp;', '&').replace(PUBLIC_URL, '');
    const action = unescape(/<Dial [^>]*action="([^"]+)"/.exec(twiml)![1]!);
    const whisper = /<Number [^>]*url="([^"]+)"/.exec(twiml)?.[1];
    return { action, whisper: whisper ? unescape(whisper) : null };
  };
  const leg = (callSid: string) => ({ CallSid: `${callSid}-leg`, ParentCallSid: callSid, From: BUSINESS_NUMBER, To: FORWARD_TO, CallStatus: 'in-progress' });
  const dialCompleted = (path: string, callSid: string, from: string, connected: string) =>
    h.post(path, { CallSid: callSid, From: from, To: BUSINESS_NUMBER, DialCallStatus: 'completed', DialCallDuration: connected, CallStatus: 'in-progress' });

  it("hangs up on the owner's carrier voicemail and texts the caller, instead of counting it answered", async () => {
    await screening({ machineDetection: true, pressOneToAccept: false });
    const caller = '+15125550131';
    const { action, whisper } = await ring('CA-carrier-vm', caller);
    const whispered = await h.post(whisper!, { ...leg('CA-carrier-vm'), AnsweredBy: 'machine_end_beep' });
    expect(await whispered.text()).toContain('<Hangup/>');

    const result = await dialCompleted(action, 'CA-carrier-vm', caller, '3');
    expect(await result.text()).toContain('<Record ');
    expect(await h.call('CA-carrier-vm')).toMatchObject({ outcome: 'no_answer', answeredBy: 'machine_end_beep', intakeDecision: 'text_back', outcomeDetail: expect.stringMatching(/machine/) });
    expect((await h.missedCallSignals(caller)).map((s) => s.callSid)).toEqual(['CA-carrier-vm']);
  });

  it('records the asynchronous machine verdict too', async () => {
    await screening({ machineDetection: true, pressOneToAccept: false });
    const caller = '+15125550132';
    const { action } = await ring('CA-amd-async', caller);
    const verdict = await h.post('/twilio/voice/machine-verdict?parent=CA-amd-async', { ...leg('CA-amd-async'), AnsweredBy: 'machine_start' });
    expect(verdict.status).toBe(204);
    await dialCompleted(action, 'CA-amd-async', caller, '25');
    expect(await h.call('CA-amd-async')).toMatchObject({ outcome: 'no_answer', intakeDecision: 'text_back' });
  });

  it('connects a human when machine detection says so', async () => {
    await screening({ machineDetection: true, pressOneToAccept: false });
    const caller = '+15125550133';
    const { action, whisper } = await ring('CA-human', caller);
    expect(await (await h.post(whisper!, { ...leg('CA-human'), AnsweredBy: 'human' })).text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    await dialCompleted(action, 'CA-human', caller, '120');
    expect(await h.call('CA-human')).toMatchObject({ outcome: 'answered', intakeDecision: 'skip' });
    expect(await h.missedCallSignals(caller)).toEqual([]);
  });

  it('with press 1 to accept, a pick-up that never pressed 1 is a missed call; one that did is answered', async () => {
    await screening({ machineDetection: false, pressOneToAccept: true });
    const ignored = '+15125550134';
    const first = await ring('CA-not-accepted', ignored);
    const prompt = await (await h.post(first.whisper!, leg('CA-not-accepted'))).text();
    expect(prompt).toContain('<Gather numDigits="1" timeout="8" action="https://gateway.example.test/twilio/voice/screen-result?parent=CA-not-accepted"');
    expect(prompt).toContain('Press 1 to accept');
    await dialCompleted(first.action, 'CA-not-accepted', ignored, '9');
    expect(await h.call('CA-not-accepted')).toMatchObject({ outcome: 'no_answer', intakeDecision: 'text_back', outcomeDetail: expect.stringMatching(/not accepted/) });

    const taken = '+15125550135';
    const second = await ring('CA-accepted', taken);
    await h.post(second.whisper!, leg('CA-accepted'));
    const pressed = await h.post('/twilio/voice/screen-result?parent=CA-accepted', { ...leg('CA-accepted'), Digits: '1' });
    expect(await pressed.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    await dialCompleted(second.action, 'CA-accepted', taken, '60');
    expect(await h.call('CA-accepted')).toMatchObject({ outcome: 'answered', intakeDecision: 'skip' });
  });

  it('a key other than 1 hangs up the forwarded leg', async () => {
    await screening({ machineDetection: false, pressOneToAccept: true });
    await ring('CA-pressed-2', '+15125550136');
    const pressed = await h.post('/twilio/voice/screen-result?parent=CA-pressed-2', { ...leg('CA-pressed-2'), Digits: '2' });
    expect(await pressed.text()).toContain('<Hangup/>');
  });

  it('a forward connected for less than the threshold is a missed call', async () => {
    await screening({ machineDetection: false, pressOneToAccept: false, minAnsweredSeconds: 8 });
    const caller = '+15125550137';
    const { action, whisper } = await ring('CA-short', caller);
    expect(whisper).toBeNull();
    await dialCompleted(action, 'CA-short', caller, '4');
    expect(await h.call('CA-short')).toMatchObject({ outcome: 'no_answer', connectedSeconds: 4, intakeDecision: 'text_back' });
  });
});
