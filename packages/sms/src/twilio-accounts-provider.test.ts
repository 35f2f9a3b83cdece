import { Agency, createOrm, migrate, PhoneNumber, sealTwilioAuthToken, SubAccount, TwilioAccount, type Orm } from '@mctb/db';
import { SecretKeyring } from '@mctb/secrets';
import { createEmptyDatabase, startFakeTwilio, type FakeTwilio, type TestDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderUnavailableError } from './provider.js';
import { TwilioAccountsProvider } from './twilio-accounts-provider.js';

// Real PostgreSQL, the real SDK, the stand-in holding each account's numbers (it refuses, as
// Twilio does, a From the sending account does not hold).
const platform = { accountSid: `AC${'0'.repeat(31)}1`, authToken: 'platform-token-000000000000000' };
const agency = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'agency-token-0000000000000000' };
const PLATFORM_NUMBER = '+15125550100';
const AGENCY_NUMBER = '+15125550170';

describe('TwilioAccountsProvider: texts go out through the account holding the sending number', () => {
  let database: TestDatabase;
  let orm: Orm;
  let twilio: FakeTwilio;
  let keyring: SecretKeyring;
  let counter = 0;

  beforeAll(async () => {
    database = await createEmptyDatabase('sms_accounts');
    orm = await createOrm(database.url);
    await migrate(orm);
    twilio = await startFakeTwilio(platform);
    twilio.addAccount(agency);
    twilio.addIncomingNumber({ phoneNumber: PLATFORM_NUMBER });
    twilio.addIncomingNumber({ phoneNumber: AGENCY_NUMBER, accountSid: agency.accountSid });
    keyring = SecretKeyring.parse(SecretKeyring.generateEntry('k1'));
    const em = orm.em.fork();
    const owner = new Agency('Own account agency');
    const subAccount = new SubAccount({ agency: owner, name: 'Client', timeZone: 'UTC', forwardingNumber: '+15125550199', incomingCallTimeout: 18 });
    const ownNumber = new PhoneNumber(AGENCY_NUMBER, subAccount);
    ownNumber.accountSid = agency.accountSid;
    const platformNumber = new PhoneNumber(PLATFORM_NUMBER, subAccount);
    const account = new TwilioAccount({ accountSid: agency.accountSid, agency: owner, friendlyName: 'Own', ...sealTwilioAuthToken(keyring, agency.accountSid, agency.authToken) });
    await em.persist([owner, subAccount, ownNumber, platformNumber, account]).flush();
  });
  afterAll(async () => {
    await twilio?.stop();
    await orm?.close();
    await database?.drop();
  });

  const sms = (from: string) => ({ intentId: `intent-${++counter}`, from, to: '+15125550150', body: `text ${counter}`, statusCallbackUrl: null });

  it("sends from an agency's number with the agency's account, and from the platform's with the platform's", async () => {
    const provider = new TwilioAccountsProvider({ orm, keyring, platform, apiBaseUrl: twilio.url, timeoutMs: 2_000 });
    expect(await provider.send(sms(AGENCY_NUMBER))).toMatchObject({ kind: 'accepted' });
    expect(await provider.send(sms(PLATFORM_NUMBER))).toMatchObject({ kind: 'accepted' });
    expect(twilio.messages().map((m) => [m.from, m.accountSid])).toEqual([
      [AGENCY_NUMBER, agency.accountSid],
      [PLATFORM_NUMBER, platform.accountSid],
    ]);
    const again = sms(AGENCY_NUMBER);
    await provider.send(again);
    expect(await provider.findAccepted(again, new Date(Date.now() - 60_000))).toMatchObject({ providerMessageId: expect.stringMatching(/^SM/) });
  });

  it("retries (never sends with the platform's account) when the agency's token can't be opened here", async () => {
    const before = twilio.messages().length;
    const noKey = new TwilioAccountsProvider({ orm, keyring: null, platform, apiBaseUrl: twilio.url });
    await expect(noKey.send(sms(AGENCY_NUMBER))).rejects.toBeInstanceOf(ProviderUnavailableError);
    const otherKey = new TwilioAccountsProvider({ orm, keyring: SecretKeyring.parse(SecretKeyring.generateEntry('k2')), platform, apiBaseUrl: twilio.url });
    await expect(otherKey.send(sms(AGENCY_NUMBER))).rejects.toThrow(/sealed with key "k1"/);
    expect(twilio.messages()).toHaveLength(before);
  });

  it('refuses a platform number when the platform has no account', async () => {
    const none = new TwilioAccountsProvider({ orm, keyring, platform: null, apiBaseUrl: twilio.url });
    expect(await none.send(sms(PLATFORM_NUMBER))).toEqual({ kind: 'rejected', code: null, reason: 'no Twilio account is configured to send from this number' });
  });
});
