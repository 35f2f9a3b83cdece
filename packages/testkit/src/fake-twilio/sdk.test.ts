import { createTwilioClient, isTwilioRestError, verifyTwilioRequest, type Twilio } from '@mctb/twilio-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from './receiver.js';
import { startFakeTwilio, type FakeTwilio } from './server.js';

// The real `twilio` SDK, over real HTTP, against the fake.
const accountSid = `AC${'c0ffee'.repeat(5)}ab`;
const authToken = 'fake-twilio-auth-token';
const from = '+15557654321';
const to = '+15551230000';

let fake: FakeTwilio;
let client: Twilio;

beforeAll(async () => {
  fake = await startFakeTwilio({ accountSid, authToken });
  client = createTwilioClient({ accountSid, authToken, apiBaseUrl: fake.url, timeoutMs: 2_000 });
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.reset();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('sending through the real SDK', () => {
  it('creates a message (201) that the fake records and lists', async () => {
    const created = await client.messages.create({
      to,
      from,
      body: 'Sorry we missed your call! How can we help?',
      statusCallback: 'https://hooks.example.com/twilio/status?textId=tx_1',
    });

    expect(created.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(created).toMatchObject({ status: 'queued', direction: 'outbound-api', to, from, numSegments: '1' });
    expect(created.dateCreated).toBeInstanceOf(Date);
    expect(fake.messages()).toMatchObject([
      { sid: created.sid, to, from, statusCallback: 'https://hooks.example.com/twilio/status?textId=tx_1' },
    ]);
    expect((await client.messages.list({ to, from })).map((m) => m.sid)).toEqual([created.sid]);
    expect((await client.messages(created.sid).fetch()).body).toBe('Sorry we missed your call! How can we help?');
  });

  it('surfaces an invalid number (21211) and an opted-out recipient (21610) as RestExceptions', async () => {
    const invalid = await rejection(client.messages.create({ to: '12345', from, body: 'hi' }));
    expect(isTwilioRestError(invalid)).toBe(true);
    expect(invalid).toMatchObject({ status: 400, code: 21211, moreInfo: 'https://www.twilio.com/docs/errors/21211' });

    fake.optOut(to);
    const optedOut = await rejection(client.messages.create({ to, from, body: 'hi' }));
    expect(isTwilioRestError(optedOut)).toBe(true);
    expect(optedOut).toMatchObject({ status: 400, code: 21610 });

    expect(fake.messages()).toEqual([]);
    expect(fake.requests().map((r) => r.form.To)).toEqual(['12345', to]);
  });

  it('surfaces a From without SMS capability (21606) and a missing body (21602)', async () => {
    fake.setSmsCapableNumbers(['+15550000001']);
    expect(await rejection(client.messages.create({ to, from, body: 'hi' }))).toMatchObject({ code: 21606 });
    expect(await rejection(client.messages.create({ to, from: '+15550000001', body: '' }))).toMatchObject({
      code: 21602,
    });
  });

  it('answers an injected 429 once, and the SDK does not retry it by itself', async () => {
    fake.failNext({ status: 429 });
    const error = await rejection(client.messages.create({ to, from, body: 'hi' }));
    expect(isTwilioRestError(error)).toBe(true);
    expect(error).toMatchObject({ status: 429, code: 20429 });
    expect(fake.requests()).toHaveLength(1);
    expect(fake.messages()).toEqual([]);

    await client.messages.create({ to, from, body: 'hi' });
    expect(fake.messages()).toHaveLength(1);
  });

  it('answers injected 500s as many times as asked, with the given code and message', async () => {
    fake.failNext({ status: 500, code: 20500, message: 'Twilio had a bad day' }, 2);
    for (let i = 0; i < 2; i += 1) {
      expect(await rejection(client.messages.create({ to, from, body: 'hi' }))).toMatchObject({
        status: 500,
        code: 20500,
        message: 'Twilio had a bad day',
      });
    }
    await client.messages.create({ to, from, body: 'hi' });
    expect(fake.messages()).toHaveLength(1);
  });

  it('can fail a lookup instead of a create', async () => {
    await client.messages.create({ to, from, body: 'hi' });
    fake.failNext({ status: 503, operation: 'list' });
    expect(await rejection(client.messages.list({ to }))).toMatchObject({ status: 503, code: 20503 });
    expect(await client.messages.list({ to })).toHaveLength(1);
  });

  it('hangs a create: the SDK times out, nothing was created, the next call works', async () => {
    const impatient = createTwilioClient({ accountSid, authToken, apiBaseUrl: fake.url, timeoutMs: 300 });
    fake.hangNext();
    const error = await rejection(impatient.messages.create({ to, from, body: 'hi' }));
    expect(isTwilioRestError(error)).toBe(false);
    expect((error as Error).message).toMatch(/timeout/i);
    expect(fake.messages()).toEqual([]);

    await impatient.messages.create({ to, from, body: 'hi' });
    expect(fake.messages()).toHaveLength(1);
  });

  it('crash window: the create fails with 500 but the message exists and a lookup finds it', async () => {
    const before = new Date(Date.now() - 1_000);
    await client.messages.create({ to, from: '+15550000009', body: 'someone else' });
    fake.acceptThenFailNext();
    const error = await rejection(client.messages.create({ to, from, body: 'Sorry we missed you' }));
    expect(error).toMatchObject({ status: 500 });

    const found = await client.messages.list({ to, from, dateSentAfter: before });
    expect(found.map((m) => m.body)).toEqual(['Sorry we missed you']);
    expect(found[0]?.sid).toBe(fake.messages()[1]?.sid);
  });

  it('crash window: the connection drops after the message was created', async () => {
    const before = new Date(Date.now() - 1_000);
    fake.acceptThenFailNext(1, 'drop-connection');
    const error = await rejection(client.messages.create({ to, from, body: 'Sorry we missed you' }));
    expect(isTwilioRestError(error)).toBe(false);

    const found = await client.messages.list({ to, from, dateSentAfter: before });
    expect(found).toHaveLength(1);
    expect(found[0]?.status).toBe('queued');
  });

  it('follows next_page_uri so list() returns every match, newest first', async () => {
    for (let n = 1; n <= 5; n += 1) await client.messages.create({ to, from, body: `text ${n}` });
    await client.messages.create({ to: '+15559990000', from, body: 'not this one' });
    const all = await client.messages.list({ to, pageSize: 2 });
    expect(all.map((m) => m.body)).toEqual(['text 5', 'text 4', 'text 3', 'text 2', 'text 1']);
    expect(await client.messages.list({ to, dateSentAfter: new Date(Date.now() + 60_000) })).toEqual([]);
    expect(await client.messages.list({ to, dateSentBefore: new Date(Date.now() - 3_600_000) })).toEqual([]);
  });

  it('answers 401 (20003) to bad credentials and 404 (20404) to an unknown message', async () => {
    const stranger = createTwilioClient({ accountSid, authToken: 'wrong', apiBaseUrl: fake.url });
    const denied = await rejection(stranger.messages.create({ to, from, body: 'hi' }));
    expect(isTwilioRestError(denied)).toBe(true);
    expect(denied).toMatchObject({ status: 401, code: 20003 });
    expect(fake.messages()).toEqual([]);

    const missing = await rejection(client.messages(`SM${'0'.repeat(32)}`).fetch());
    expect(missing).toMatchObject({ status: 404, code: 20404 });
  });
});

describe('status callbacks', () => {
  it('POSTs the status to the StatusCallback URL, signed over that exact URL', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const callbackUrl = `${receiver.origin}/webhooks/twilio/status?textId=tx_42&attempt=1`;
      const message = await client.messages.create({ to, from, body: 'hi', statusCallback: callbackUrl });

      const response = await fake.deliverStatus(message.sid, 'delivered');
      expect(response.status).toBe(204);

      expect(receiver.received).toHaveLength(1);
      const [callback] = receiver.received;
      expect(callback?.url).toBe(callbackUrl);
      expect(callback?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(callback?.params).toEqual({
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        From: from,
        MessageSid: message.sid,
        MessageStatus: 'delivered',
        SmsSid: message.sid,
        SmsStatus: 'delivered',
        To: to,
      });
      const signature = callback?.headers['x-twilio-signature'];
      expect(verifyTwilioRequest(authToken, signature, callbackUrl, callback?.params ?? {})).toBe(true);
      expect(verifyTwilioRequest('another-token', signature, callbackUrl, callback?.params ?? {})).toBe(false);
      expect((await client.messages(message.sid).fetch()).status).toBe('delivered');
    } finally {
      await receiver.stop();
    }
  });

  it('sends ErrorCode for an undelivered message and records it on the message', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const callbackUrl = `${receiver.origin}/status`;
      const message = await client.messages.create({ to, from, body: 'hi', statusCallback: callbackUrl });
      await fake.deliverStatus(message.sid, 'undelivered', 30003);

      const params = receiver.received[0]?.params ?? {};
      expect(params).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30003' });
      expect(verifyTwilioRequest(authToken, receiver.received[0]?.headers['x-twilio-signature'], callbackUrl, params)).toBe(
        true,
      );
      const fetched = await client.messages(message.sid).fetch();
      expect(fetched).toMatchObject({ status: 'undelivered', errorCode: 30003 });
      expect(fake.messages()[0]).toMatchObject({ status: 'undelivered', errorCode: 30003 });
    } finally {
      await receiver.stop();
    }
  });

  it('refuses to deliver for an unknown message or one without a StatusCallback', async () => {
    const message = await client.messages.create({ to, from, body: 'hi' });
    await expect(fake.deliverStatus(message.sid, 'sent')).rejects.toThrow(/StatusCallback/);
    await expect(fake.deliverStatus(`SM${'0'.repeat(32)}`, 'sent')).rejects.toThrow(/no message/);
  });
});
