import { checkAccount, createTwilioClient, findIncomingNumber, isTwilioRestError, setIncomingNumberUrls, type Twilio } from '@mctb/twilio-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from './server.js';

// Two accounts at the fake, each with its own numbers, through the real SDK over real HTTP.
const main = { accountSid: `AC${'1'.repeat(32)}`, authToken: 'main-account-token' };
const other = { accountSid: `AC${'2'.repeat(32)}`, authToken: 'other-account-token' };
const urls = {
  voiceUrl: 'https://gateway.example.com/twilio/voice/incoming',
  statusCallback: 'https://gateway.example.com/twilio/voice/status',
  smsUrl: 'https://gateway.example.com/twilio/sms/incoming',
};

let fake: FakeTwilio;
let mainClient: Twilio;
let otherClient: Twilio;

beforeAll(async () => {
  fake = await startFakeTwilio(main);
  fake.addAccount(other);
  mainClient = createTwilioClient({ ...main, apiBaseUrl: fake.url, timeoutMs: 2_000 });
  otherClient = createTwilioClient({ ...other, apiBaseUrl: fake.url, timeoutMs: 2_000 });
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.reset();
});

describe('IncomingPhoneNumbers at the fake', () => {
  it("finds a number in its own account only, by an exact match of Twilio's pattern filter", async () => {
    fake.addIncomingNumber({ phoneNumber: '+15125550100' });
    fake.addIncomingNumber({ phoneNumber: '+15125550101', capabilities: { sms: false } });
    fake.addIncomingNumber({ phoneNumber: '+15125550200', accountSid: other.accountSid });

    expect(await findIncomingNumber(mainClient, '+15125550100')).toMatchObject({
      sid: expect.stringMatching(/^PN[0-9a-f]{32}$/),
      accountSid: main.accountSid,
      phoneNumber: '+15125550100',
      voice: true,
      sms: true,
      voiceUrl: null,
    });
    // The filter "5125550" matches both main numbers at Twilio; only the exact one is taken.
    expect((await mainClient.incomingPhoneNumbers.list({ phoneNumber: '5125550' })).map((n) => n.phoneNumber)).toEqual(['+15125550100', '+15125550101']);
    expect(await findIncomingNumber(mainClient, '+15125550101')).toMatchObject({ voice: true, sms: false });
    expect(await findIncomingNumber(mainClient, '+15125550200')).toBeNull();
    expect(await findIncomingNumber(otherClient, '+15125550200')).toMatchObject({ accountSid: other.accountSid });
    expect(await findIncomingNumber(mainClient, '+15125550999')).toBeNull();
  });

  it('sets the voice URL, status callback and SMS URL (POST), and setting them again changes nothing', async () => {
    const sid = fake.addIncomingNumber({ phoneNumber: '+15125550100' });
    const first = await setIncomingNumberUrls(mainClient, sid, urls);
    expect(first).toMatchObject({ ...urls, voiceMethod: 'POST', statusCallbackMethod: 'POST', smsMethod: 'POST' });
    await setIncomingNumberUrls(mainClient, sid, urls);
    expect(fake.incomingNumbers(main.accountSid)).toMatchObject([{ sid, phoneNumber: '+15125550100', ...urls, voiceMethod: 'POST', smsMethod: 'POST', statusCallbackMethod: 'POST' }]);
    expect(fake.requests().filter((r) => r.path.includes('IncomingPhoneNumbers'))).toHaveLength(2);
  });

  it("refuses another account's number (404) and a URL that is not http(s) (400, nothing changed)", async () => {
    const theirs = fake.addIncomingNumber({ phoneNumber: '+15125550200', accountSid: other.accountSid });
    const error = await setIncomingNumberUrls(mainClient, theirs, urls).catch((e: unknown) => e);
    expect(isTwilioRestError(error) && error.status).toBe(404);

    const ours = fake.addIncomingNumber({ phoneNumber: '+15125550100' });
    const invalid = await setIncomingNumberUrls(mainClient, ours, { ...urls, smsUrl: 'ftp://nope' }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 21402 });
    expect(fake.incomingNumbers(main.accountSid)[0]).toMatchObject({ voiceUrl: null, smsUrl: null });
  });

  it('checks credentials by fetching the account: valid, wrong token, unknown account', async () => {
    expect(await checkAccount(otherClient)).toEqual({ ok: true, accountSid: other.accountSid, friendlyName: expect.any(String), status: 'active' });
    const wrongToken = createTwilioClient({ accountSid: other.accountSid, authToken: main.authToken, apiBaseUrl: fake.url });
    expect(await checkAccount(wrongToken)).toEqual({ ok: false, reason: 'rejected', status: 401 });
    const unknown = createTwilioClient({ accountSid: `AC${'3'.repeat(32)}`, authToken: 'x', apiBaseUrl: fake.url });
    expect(await checkAccount(unknown)).toEqual({ ok: false, reason: 'rejected', status: 401 });
  });

  it('keeps each account to its own messages, and once it holds numbers, to sending from them', async () => {
    fake.addIncomingNumber({ phoneNumber: '+15125550200', accountSid: other.accountSid });
    await mainClient.messages.create({ to: '+15551230000', from: '+15125550200', body: 'main has no numbers: any From' });
    const refused = await otherClient.messages.create({ to: '+15551230000', from: '+15125550100', body: 'not ours' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, code: 21606 });
    const sent = await otherClient.messages.create({ to: '+15551230000', from: '+15125550200', body: 'ours' });
    expect(sent.accountSid).toBe(other.accountSid);
    expect((await otherClient.messages.list({})).map((m) => m.body)).toEqual(['ours']);
    expect((await mainClient.messages.list({})).map((m) => m.body)).toEqual(['main has no numbers: any From']);
  });
});
