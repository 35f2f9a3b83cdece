import { verifyTwilioRequest } from '@mctb/twilio-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postTwilioWebhook } from '../webhooks.js';
import { startWebhookReceiver } from './receiver.js';

const authToken = 'webhook-test-token';
const inboundSms = {
  MessageSid: `SM${'ab'.repeat(16)}`,
  AccountSid: `AC${'cd'.repeat(16)}`,
  From: '+15551230000',
  To: '+15557654321',
  Body: 'STOP please & thank you — 100% sure? a+b=c',
  NumMedia: '0',
};

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await receiver.stop();
});

beforeEach(() => {
  receiver.received.length = 0;
});

describe('postTwilioWebhook', () => {
  it('posts the parameters form-encoded, signed over the URL, with an idempotency token', async () => {
    const url = `${receiver.origin}/webhooks/twilio/sms?location=loc_1`;
    const response = await postTwilioWebhook(url, inboundSms, { authToken });

    expect(response.status).toBe(204);
    const [request] = receiver.received;
    expect(request?.url).toBe(url);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.params).toEqual(inboundSms);
    expect(verifyTwilioRequest(authToken, request?.headers['x-twilio-signature'], url, inboundSms)).toBe(true);
    expect(request?.headers['i-twilio-idempotency-token']).toBeTruthy();
  });

  it('uses a fresh idempotency token per call unless one is given (a redelivery)', async () => {
    const url = `${receiver.origin}/sms`;
    await postTwilioWebhook(url, inboundSms, { authToken });
    await postTwilioWebhook(url, inboundSms, { authToken });
    await postTwilioWebhook(url, inboundSms, { authToken, idempotencyToken: 'redelivery-1' });
    await postTwilioWebhook(url, inboundSms, { authToken, idempotencyToken: 'redelivery-1' });

    const tokens = receiver.received.map((r) => r.headers['i-twilio-idempotency-token']);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(tokens.slice(2)).toEqual(['redelivery-1', 'redelivery-1']);
  });

  it('signs the public URL when told to (the receiver behind a proxy sees another one)', async () => {
    const publicUrl = 'https://textback.example.com/webhooks/twilio/sms';
    await postTwilioWebhook(`${receiver.origin}/webhooks/twilio/sms`, inboundSms, {
      authToken,
      signatureUrl: publicUrl,
    });
    const [request] = receiver.received;
    const signature = request?.headers['x-twilio-signature'];
    expect(verifyTwilioRequest(authToken, signature, publicUrl, inboundSms)).toBe(true);
    expect(verifyTwilioRequest(authToken, signature, request?.url ?? '', inboundSms)).toBe(false);
  });

  it('sends a given signature as is, for bad-signature tests', async () => {
    const url = `${receiver.origin}/sms`;
    await postTwilioWebhook(url, inboundSms, { authToken, signature: 'forged' });
    const [request] = receiver.received;
    expect(request?.headers['x-twilio-signature']).toBe('forged');
    expect(verifyTwilioRequest(authToken, 'forged', url, inboundSms)).toBe(false);
  });
});
