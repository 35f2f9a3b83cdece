import { Agency, Contact, createOrm, Message, migrate, OutboxMessage, SubAccount, type Orm } from '@mctb/db';
import { createEmptyDatabase, startFakeTwilio, type FakeTwilio, type TestDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboxProvider } from './outbox-provider.js';
import { ProviderUnavailableError } from './provider.js';
import { SendInProgressError, SmsSender, type SendRequest } from './sender.js';
import { TwilioProvider } from './twilio-provider.js';

const ACCOUNT_SID = 'AC11111111111111111111111111111111';
const AUTH_TOKEN = 'sender-test-auth-token-0000000000';
const FROM = '+15125550100';

describe('SmsSender: one text per send intent, whatever happens', () => {
  let database: TestDatabase;
  let orm: Orm;
  let twilio: FakeTwilio;
  let sender: SmsSender;
  let subAccountId: string;
  let contactId: string;
  let counter = 0;

  beforeAll(async () => {
    database = await createEmptyDatabase('sms');
    orm = await createOrm(database.url);
    await migrate(orm);
    twilio = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const em = orm.em.fork();
    const agency = new Agency('Acme');
    const subAccount = new SubAccount({ agency, name: 'Greenfield', timeZone: 'UTC', forwardingNumber: '+15125550199', incomingCallTimeout: 18 });
    const contact = new Contact(subAccount, '+15125550150', 'missed_call');
    await em.persist([agency, subAccount, contact]).flush();
    subAccountId = subAccount.id;
    contactId = contact.id;
    sender = new SmsSender({
      em: () => orm.em.fork(),
      providers: {
        twilio: new TwilioProvider({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: twilio.url, timeoutMs: 500 }),
        outbox: new OutboxProvider(() => orm.em.fork()),
      },
      statusCallbackUrl: (intentId) => `https://gateway.example.test/twilio/sms/status?intent=${encodeURIComponent(intentId)}`,
    });
  });
  afterAll(async () => {
    await twilio?.stop();
    await orm?.close();
    await database?.drop();
  });
  beforeEach(() => twilio.reset());

  const request = (overrides: Partial<SendRequest> = {}): SendRequest => ({
    intentId: `intent-${++counter}`,
    subAccountId,
    contactId: null,
    callId: null,
    from: FROM,
    to: `+1512555${String(1000 + counter).padStart(4, '0')}`,
    body: 'Hi there, sorry we missed your call!',
    provider: 'twilio',
    ...overrides,
  });
  const creates = () => twilio.requests().filter((r) => r.method === 'POST');
  const stored = (intentId: string) => orm.em.fork().findOneOrFail(Message, { intentId });

  it('sends once and finds the stored send on every retry', async () => {
    const req = request();
    const first = await sender.send(req);
    expect(first).toMatchObject({ kind: 'sent', alreadySent: false, status: 'queued' });
    const again = await sender.send(req);
    expect(again).toMatchObject({ kind: 'sent', alreadySent: true });
    expect(twilio.messages()).toHaveLength(1);
    expect(twilio.messages()[0]).toMatchObject({ to: req.to, body: req.body, statusCallback: expect.stringContaining('intent=intent-') });
    expect(await stored(req.intentId)).toMatchObject({ providerMessageId: twilio.messages()[0]!.sid, attempts: 1, status: 'queued' });
  });

  it('reconciles the crash window: Twilio accepted but the answer was lost, so the retry finds it instead of resending', async () => {
    const req = request();
    twilio.acceptThenFailNext();
    await expect(sender.send(req)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(twilio.messages()).toHaveLength(1);

    const retry = await sender.send(req);
    expect(retry).toMatchObject({ kind: 'sent', alreadySent: true, providerMessageId: twilio.messages()[0]!.sid });
    expect(creates()).toHaveLength(1);
    expect(await stored(req.intentId)).toMatchObject({ providerMessageId: twilio.messages()[0]!.sid, attempts: 2 });
  });

  it('retries after a timeout without duplicating (the hung request created nothing)', async () => {
    const req = request();
    twilio.hangNext();
    await expect(sender.send(req)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await sender.send(req)).toMatchObject({ kind: 'sent', alreadySent: false });
    expect(twilio.messages().filter((m) => m.to === req.to)).toHaveLength(1);
  });

  it('treats 429 and 5xx as transient: the step fails for Temporal to retry', async () => {
    const req = request();
    twilio.failNext({ status: 429, code: 20429, message: 'Too Many Requests' });
    await expect(sender.send(req)).rejects.toThrow(/HTTP 429, error 20429/);
    twilio.failNext({ status: 503 });
    await expect(sender.send(req)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await sender.send(req)).toMatchObject({ kind: 'sent' });
    expect(twilio.messages()).toHaveLength(1);
  });

  it('fails an invalid number for good with Twilio\'s code, and never calls Twilio for it again', async () => {
    const req = request({ to: '555-0100' });
    expect(await sender.send(req)).toMatchObject({ kind: 'refused', code: 21211 });
    expect(await sender.send(req)).toMatchObject({ kind: 'refused', code: 21211 });
    expect(creates()).toHaveLength(1);
    expect(await stored(req.intentId)).toMatchObject({ status: 'failed', errorCode: 21211, errorMessage: expect.stringMatching(/To/) });
  });

  it('fails a recipient the carrier has unsubscribed (21610)', async () => {
    const req = request();
    twilio.optOut(req.to);
    expect(await sender.send(req)).toMatchObject({ kind: 'refused', code: 21610 });
  });

  it('refuses an opted-out contact before anything reaches the provider', async () => {
    await orm.em.fork().nativeUpdate(Contact, { id: contactId }, { optedOutAt: new Date() });
    const req = request({ contactId, to: '+15125550150' });
    expect(await sender.send(req)).toMatchObject({ kind: 'refused', reason: 'recipient has opted out of texts' });
    expect(creates()).toHaveLength(0);
    await orm.em.fork().nativeUpdate(Contact, { id: contactId }, { optedOutAt: null });
  });

  it('lets one of several concurrent attempts send; the others find it or are told to retry', async () => {
    const req = request();
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => sender.send(req)));
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(SendInProgressError);
      else expect(result.value.kind).toBe('sent');
    }
    expect(twilio.messages()).toHaveLength(1);
    expect(await sender.send(req)).toMatchObject({ kind: 'sent', alreadySent: true });
  });

  it('writes the outbox once per intent', async () => {
    const req = request({ provider: 'outbox' });
    await sender.send(req);
    await sender.send(req);
    expect(await orm.em.fork().count(OutboxMessage, { intentId: req.intentId })).toBe(1);
    expect(await stored(req.intentId)).toMatchObject({ status: 'delivered', providerMessageId: expect.stringMatching(/^outbox_/) });
  });
});
