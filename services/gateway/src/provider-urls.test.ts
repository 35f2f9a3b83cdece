import { gatewayWebhookUrls } from '@mctb/control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_NUMBER, PUBLIC_URL, startGatewayHarness, type GatewayHarness } from './testing/harness.js';

/** The URLs provisioning sets on a number at Twilio (configureProviderNumber) are the routes this gateway serves. */
describe('the webhook URLs set at Twilio', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const path = (url: string) => {
    expect(url.startsWith(`${PUBLIC_URL}/`)).toBe(true);
    return url.slice(PUBLIC_URL.length);
  };

  it('answer a call on the voice URL, its end on the status callback, and a text on the SMS URL', async () => {
    const urls = gatewayWebhookUrls(PUBLIC_URL);
    const call = { CallSid: 'CA-configured-urls', From: '+15125550160', To: BUSINESS_NUMBER };

    const voice = await h.post(path(urls.voiceUrl), { ...call, CallStatus: 'ringing' });
    expect(voice.status).toBe(200);
    expect(await voice.text()).toContain('<Dial');

    const ended = await h.post(path(urls.statusCallback), { ...call, CallStatus: 'completed' });
    expect(ended.status).toBe(204);

    const text = await h.post(path(urls.smsUrl), { MessageSid: 'SM-configured-urls', From: '+15125550160', To: BUSINESS_NUMBER, Body: 'Hello' });
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/xml/);
  });
});
