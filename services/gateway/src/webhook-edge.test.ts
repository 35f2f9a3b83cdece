import { Call, Message } from '@mctb/db';
import { signTwilioRequest } from '@mctb/twilio-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SID, AUTH_TOKEN, BUSINESS_NUMBER, PUBLIC_URL, startGatewayHarness, type GatewayHarness } from './testing/harness.js';

/** Signed requests with values Twilio would never send, or sends oddly: checked at the edge. */
describe('webhook fields are checked at the edge', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const isTwiml = async (response: Response) => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/xml/);
    expect(await response.text()).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><Response(\/>|>.*<\/Response>)$/s);
  };

  it('answers TwiML for a caller ID holding a NUL byte, and never texts it', async () => {
    const ring = await h.post('/twilio/voice/incoming', { CallSid: 'CA-nul-from', From: '+1512555\u00000118', To: BUSINESS_NUMBER });
    await isTwiml(ring);
    const missed = await h.post('/twilio/voice/dial-result?accept=0&amd=0&min=0', { CallSid: 'CA-nul-from', From: '+1512555\u00000118', To: BUSINESS_NUMBER, DialCallStatus: 'no-answer' });
    await isTwiml(missed);
    expect(await h.call('CA-nul-from')).toMatchObject({
      fromRaw: '+1512555\uFFFD0118',
      callerPhone: null,
      untextableReason: 'invalid',
      intakeDecision: 'skip',
    });
  });

  it('refuses a CallSid that is not a provider id (a NUL, 10,000 characters), naming it, and stores nothing', async () => {
    const nul = await h.post('/twilio/voice/incoming', { CallSid: 'CA\u0000x', From: '+15125550119', To: BUSINESS_NUMBER });
    expect(nul.status).toBe(400);
    expect(((await nul.json()) as { error: string }).error).toMatch(/^CallSid must be a provider id/);
    const long = await h.post('/twilio/voice/incoming', { CallSid: `CA${'a'.repeat(10_000)}`, From: '+15125550119', To: BUSINESS_NUMBER });
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: string }).error).toMatch(/^CallSid must be a provider id.*10002 characters/);
    expect(await h.orm.em.fork().count(Call, { fromRaw: '+15125550119' })).toBe(0);
  });

  it('refuses a 100,000-character caller ID with the body limit; stores at most 64 characters of a 10,000-character one and still forwards the call', async () => {
    const huge = await h.post('/twilio/voice/incoming', { CallSid: 'CA-huge-from', From: '5'.repeat(100_000), To: BUSINESS_NUMBER });
    expect(huge.status).toBe(413);
    expect(await h.call('CA-huge-from')).toBeNull();
    const ring = await h.post('/twilio/voice/incoming', { CallSid: 'CA-long-from', From: '5'.repeat(10_000), To: BUSINESS_NUMBER });
    await isTwiml(ring);
    const call = await h.call('CA-long-from');
    expect(call?.fromRaw.length).toBeLessThanOrEqual(65);
    expect(call).toMatchObject({ callerPhone: null, untextableReason: 'invalid' });
  });

  it('refuses a 2 MB body with 413 before reading it all or checking anything else', async () => {
    const body = `CallSid=CA-huge&To=${encodeURIComponent(BUSINESS_NUMBER)}&Filler=${'x'.repeat(2 * 1024 * 1024)}`;
    const response = await h.app.request(`${PUBLIC_URL}/twilio/voice/incoming`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length), 'x-twilio-signature': 'irrelevant' },
      body,
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/larger than 65536 bytes/);
    expect(await h.call('CA-huge')).toBeNull();
  });

  it('refuses a streamed body without a Content-Length once it passes the limit, without reading the rest', async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 128) controller.close(); // 2 MB in all, if anyone read it
        else controller.enqueue(chunk);
      },
    });
    const response = await h.app.request(`${PUBLIC_URL}/twilio/voice/incoming`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'irrelevant' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(10);
  });

  it('verifies a repeated parameter the way Twilio signs it (every value, sorted), not over its last value', async () => {
    const params = { AccountSid: ACCOUNT_SID, CallSid: 'CA-twice', From: ['+15125550120', '+15125550121'], To: BUSINESS_NUMBER };
    const url = `${PUBLIC_URL}/twilio/voice/incoming`;
    const asTwilio = await h.post('/twilio/voice/incoming', params);
    await isTwiml(asTwilio);
    // A caller ID given twice is no number we can text, but the call still rings the business.
    expect(await h.call('CA-twice')).toMatchObject({ callerPhone: null, untextableReason: 'invalid' });

    const lastValueOnly = signTwilioRequest(AUTH_TOKEN, url, { ...params, CallSid: 'CA-twice-forged', From: '+15125550121' });
    const forged = await h.post('/twilio/voice/incoming', { ...params, CallSid: 'CA-twice-forged' }, { signature: lastValueOnly });
    expect(forged.status).toBe(403);
    expect(await h.call('CA-twice-forged')).toBeNull();
  });

  it('refuses an identifier given twice, naming it', async () => {
    const response = await h.post('/twilio/voice/incoming', { CallSid: ['CA-a', 'CA-b'], From: '+15125550122', To: BUSINESS_NUMBER });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('CallSid is given 2 times; Twilio sends it once');
  });

  it('stores an inbound text with a NUL byte (made visible), and answers TwiML', async () => {
    const response = await h.post('/twilio/sms/incoming', { MessageSid: 'SM-nul', From: '+15125550123', To: BUSINESS_NUMBER, Body: 'hi\u0000there' });
    await isTwiml(response);
    const stored = await h.orm.em.fork().findOneOrFail(Message, { providerMessageId: 'SM-nul' });
    expect(stored.body).toBe('hi\uFFFDthere');
  });

  it('refuses a text body longer than Twilio delivers (1600 characters), naming Body', async () => {
    const response = await h.post('/twilio/sms/incoming', { MessageSid: 'SM-long', From: '+15125550124', To: BUSINESS_NUMBER, Body: 'a'.repeat(1601) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('Body is longer than 1600 characters');
  });
});
