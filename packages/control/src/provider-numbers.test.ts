import { createOrm, migrate, PhoneNumber, TwilioAccount, type Orm } from '@mctb/db';
import { SecretKeyring } from '@mctb/secrets';
import { createEmptyDatabase, startFakeTwilio, type FakeTwilio, type TestDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgency } from './api-keys.js';
import { ProviderAccounts } from './provider-accounts.js';
import { configureProviderNumber, gatewayWebhookUrls } from './provider-numbers.js';
import type { Scope } from './scope.js';
import { createSubAccount } from './sub-accounts.js';
import { resealTwilioAuthTokens, setTwilioAccount, twilioAccountOf } from './twilio-accounts.js';

// Real PostgreSQL, the real `twilio` SDK, the local Twilio stand-in with three accounts.
const platform = { accountSid: `AC${'0'.repeat(31)}1`, authToken: 'platformtoken0000000000000000001' };
const acme = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'acmetoken0000000000000000000000a' };
const rival = { accountSid: `AC${'b'.repeat(32)}`, authToken: 'rivaltoken000000000000000000000b' };
const GATEWAY = 'https://gateway.example.test';
const TEST_KEY = SecretKeyring.generateEntry('test');

let database: TestDatabase;
let orm: Orm;
let twilio: FakeTwilio;
let accounts: ProviderAccounts;
let acmeScope: Scope;
let rivalScope: Scope;
let platformOnlyScope: Scope;
let nextName = 0;

const client = (twilioNumber: string) => ({ name: `Client ${++nextName}`, timeZone: 'America/Chicago', twilioNumber, forwardingNumber: '+15125550199' });

beforeAll(async () => {
  database = await createEmptyDatabase('control_provider_numbers');
  orm = await createOrm(database.url);
  await migrate(orm);
  twilio = await startFakeTwilio(platform);
  twilio.addAccount(acme);
  twilio.addAccount(rival);
  accounts = new ProviderAccounts({ keyring: SecretKeyring.parse(TEST_KEY), platform, apiBaseUrl: twilio.url, timeoutMs: 2_000 });
  const em = orm.em.fork();
  acmeScope = { agencyId: (await createAgency(em, 'Acme')).id, subAccountId: null };
  rivalScope = { agencyId: (await createAgency(em, 'Rival')).id, subAccountId: null };
  platformOnlyScope = { agencyId: (await createAgency(em, 'Small shop')).id, subAccountId: null };
  expect(await setTwilioAccount(em, acmeScope, accounts, acme)).toMatchObject({ ok: true });
  expect(await setTwilioAccount(orm.em.fork(), rivalScope, accounts, rival)).toMatchObject({ ok: true });
});

afterAll(async () => {
  await twilio?.stop();
  await orm?.close();
  await database?.drop();
});

beforeEach(() => twilio.reset());

describe('setTwilioAccount', () => {
  it('stores the account after Twilio accepted it, the token sealed in the column, and shows no token', async () => {
    const stored = await orm.em.fork().findOneOrFail(TwilioAccount, { accountSid: acme.accountSid });
    expect(stored.authTokenCiphertext).toMatch(/^v1\./);
    expect(stored.authTokenCiphertext).not.toContain(acme.authToken);
    expect(stored.authTokenKeyId).toBe('test');
    const shown = await twilioAccountOf(orm.em.fork(), acmeScope);
    expect(shown).toEqual({ ok: true, value: { accountSid: acme.accountSid, friendlyName: expect.any(String), keyId: 'test', createdAt: expect.any(Date), updatedAt: expect.any(Date) } });
    expect(JSON.stringify(shown)).not.toContain(acme.authToken);
    expect(await twilioAccountOf(orm.em.fork(), platformOnlyScope)).toEqual({ ok: true, value: null });
  });

  it('refuses credentials Twilio rejects, malformed ones, another agency’s account and sub-account keys, naming the field', async () => {
    const em = orm.em.fork();
    expect(await setTwilioAccount(em, platformOnlyScope, accounts, { accountSid: acme.accountSid, authToken: rival.authToken })).toEqual({
      ok: false, kind: 'invalid', issues: [{ path: 'accountSid', message: `${acme.accountSid} is already another agency's account` }],
    });
    const unknown = { accountSid: `AC${'c'.repeat(32)}`, authToken: 'unknowntoken00000000000000000000' };
    expect(await setTwilioAccount(em, platformOnlyScope, accounts, unknown)).toEqual({
      ok: false, kind: 'invalid', issues: [{ path: 'authToken', message: 'Twilio refused this account SID and auth token (HTTP 401)' }],
    });
    expect(await setTwilioAccount(em, platformOnlyScope, accounts, { accountSid: 'AC123', authToken: 'short' })).toMatchObject({
      ok: false, kind: 'invalid', issues: [{ path: 'accountSid' }, { path: 'authToken' }],
    });
    expect(await setTwilioAccount(em, platformOnlyScope, accounts, platform)).toMatchObject({ ok: false, issues: [{ path: 'accountSid', message: "is the platform's own account; an agency brings its own" }] });
    expect(await setTwilioAccount(em, { ...acmeScope, subAccountId: '00000000-0000-4000-8000-000000000000' }, accounts, acme)).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(await twilioAccountOf(em, platformOnlyScope)).toEqual({ ok: true, value: null });
  });
});

describe('resealTwilioAuthTokens', () => {
  it('re-seals tokens under the current key once a new key is put first, so the old key can go', async () => {
    const newKey = SecretKeyring.generateEntry('next');
    const rotated = SecretKeyring.parse(`${newKey},${TEST_KEY}`);
    expect(await resealTwilioAuthTokens(orm.em.fork(), rotated)).toEqual({ resealed: 2 });
    expect(await resealTwilioAuthTokens(orm.em.fork(), rotated)).toEqual({ resealed: 0 });
    const newOnly = new ProviderAccounts({ ...accounts.options, keyring: SecretKeyring.parse(newKey) });
    const acmeAccount = await newOnly.byAccountSid(orm.em.fork(), acme.accountSid);
    expect(acmeAccount?.source).toBe('agency');
    // Back to the test's keyring for the other tests.
    expect(await resealTwilioAuthTokens(orm.em.fork(), SecretKeyring.parse(`${TEST_KEY},${newKey}`))).toEqual({ resealed: 2 });
  });
});

describe('claiming a number (createSubAccount)', () => {
  it("takes a number the agency's own account holds with voice and SMS, and records the account", async () => {
    twilio.addIncomingNumber({ phoneNumber: '+15125550101', accountSid: acme.accountSid });
    const created = await createSubAccount(orm.em.fork(), acmeScope, client('+15125550101'), accounts);
    expect(created).toMatchObject({ ok: true });
    expect(await orm.em.fork().findOneOrFail(PhoneNumber, { e164: '+15125550101' })).toMatchObject({ accountSid: acme.accountSid });
  });

  it("refuses another agency's number, whoever asks, with a ValidationError at twilioNumber", async () => {
    twilio.addIncomingNumber({ phoneNumber: '+15125550102', accountSid: acme.accountSid });
    for (const scope of [rivalScope, platformOnlyScope]) {
      const refused = await createSubAccount(orm.em.fork(), scope, client('+15125550102'), accounts);
      expect(refused).toMatchObject({ ok: false, kind: 'invalid', issues: [{ path: 'twilioNumber', message: expect.stringMatching(/^\+15125550102 is not a number of (the agency's Twilio account AC(b){32}|the platform's Twilio account)/) }] });
    }
    expect(await orm.em.fork().count(PhoneNumber, { e164: '+15125550102' })).toBe(0);
  });

  it('refuses a number without voice or SMS at Twilio, saying which', async () => {
    twilio.addIncomingNumber({ phoneNumber: '+15125550103', accountSid: acme.accountSid, capabilities: { sms: false } });
    expect(await createSubAccount(orm.em.fork(), acmeScope, client('+15125550103'), accounts)).toMatchObject({
      ok: false, issues: [{ path: 'twilioNumber', message: '+15125550103 cannot do SMS at Twilio; missed-call text-back needs both' }],
    });
  });

  it("lets an agency without its own account claim the platform account's numbers, checked there", async () => {
    twilio.addIncomingNumber({ phoneNumber: '+15125550104' });
    expect(await createSubAccount(orm.em.fork(), platformOnlyScope, client('+15125550104'), accounts)).toMatchObject({ ok: true });
    expect(await orm.em.fork().findOneOrFail(PhoneNumber, { e164: '+15125550104' })).toMatchObject({ accountSid: platform.accountSid });
    // An agency with its own account claims from it alone, not from the platform's.
    twilio.addIncomingNumber({ phoneNumber: '+15125550105' });
    expect(await createSubAccount(orm.em.fork(), acmeScope, client('+15125550105'), accounts)).toMatchObject({ ok: false, issues: [{ path: 'twilioNumber' }] });
  });

  it('refuses when there is no account to ask, unless unverified claims are allowed', async () => {
    const none = new ProviderAccounts({ keyring: null, platform: null });
    expect(await createSubAccount(orm.em.fork(), platformOnlyScope, client('+15125550106'), none)).toMatchObject({
      ok: false, issues: [{ path: 'twilioNumber', message: expect.stringContaining('the agency has no Twilio account (set one with setTwilioAccount)') }],
    });
    const trusting = new ProviderAccounts({ keyring: null, platform: null, allowUnverifiedClaims: true });
    expect(await createSubAccount(orm.em.fork(), platformOnlyScope, client('+15125550106'), trusting)).toMatchObject({ ok: true });
    expect(await orm.em.fork().findOneOrFail(PhoneNumber, { e164: '+15125550106' })).toMatchObject({ accountSid: null });
  });
});

describe('configureProviderNumber', () => {
  it("sets the voice URL, status callback and SMS URL the gateway serves, through the owner's account; again changes nothing", async () => {
    twilio.addIncomingNumber({ phoneNumber: '+15125550107', accountSid: acme.accountSid });
    expect(await createSubAccount(orm.em.fork(), acmeScope, client('+15125550107'), accounts)).toMatchObject({ ok: true });
    const urls = {
      voiceUrl: `${GATEWAY}/twilio/voice/incoming`,
      statusCallback: `${GATEWAY}/twilio/voice/status`,
      smsUrl: `${GATEWAY}/twilio/sms/incoming`,
    };
    expect(gatewayWebhookUrls(`${GATEWAY}/`)).toEqual(urls);

    const first = await configureProviderNumber({ em: orm.em.fork(), accounts }, { e164: '+15125550107', gatewayPublicUrl: GATEWAY });
    expect(first).toMatchObject({ status: 'configured', accountSid: acme.accountSid, changed: true, urls });
    expect(twilio.incomingNumbers(acme.accountSid)).toMatchObject([{ phoneNumber: '+15125550107', ...urls, voiceMethod: 'POST', statusCallbackMethod: 'POST', smsMethod: 'POST' }]);
    const again = await configureProviderNumber({ em: orm.em.fork(), accounts }, { e164: '+15125550107', gatewayPublicUrl: GATEWAY });
    expect(again).toMatchObject({ status: 'configured', changed: false });
    expect(twilio.requests().filter((r) => r.method === 'POST' && r.path.includes('IncomingPhoneNumbers'))).toHaveLength(1);
  });

  it('reports a mismatch clearly: the number left the account, lost SMS, or is no sub-account’s', async () => {
    twilio.addIncomingNumber({ phoneNumber: '+15125550108', accountSid: acme.accountSid });
    expect(await createSubAccount(orm.em.fork(), acmeScope, client('+15125550108'), accounts)).toMatchObject({ ok: true });
    twilio.reset(); // released at Twilio after it was claimed
    expect(await configureProviderNumber({ em: orm.em.fork(), accounts }, { e164: '+15125550108', gatewayPublicUrl: GATEWAY })).toEqual({
      status: 'mismatch', e164: '+15125550108', accountSid: acme.accountSid, problems: [`+15125550108 is not in Twilio account ${acme.accountSid}`],
    });
    twilio.addIncomingNumber({ phoneNumber: '+15125550108', accountSid: acme.accountSid, capabilities: { sms: false } });
    expect(await configureProviderNumber({ em: orm.em.fork(), accounts }, { e164: '+15125550108', gatewayPublicUrl: GATEWAY })).toMatchObject({
      status: 'mismatch', problems: ['+15125550108 cannot send or receive texts (no SMS capability)'],
    });
    expect(await configureProviderNumber({ em: orm.em.fork(), accounts }, { e164: '+15125550999', gatewayPublicUrl: GATEWAY })).toMatchObject({
      status: 'mismatch', problems: ['+15125550999 belongs to no sub-account'],
    });
    expect(twilio.incomingNumbers(acme.accountSid)[0]).toMatchObject({ voiceUrl: null, smsUrl: null });
  });

  it('throws on a transient Twilio failure, so the activity calling it retries', async () => {
    twilio.addIncomingNumber({ phoneNumber: '+15125550109', accountSid: acme.accountSid });
    expect(await createSubAccount(orm.em.fork(), acmeScope, client('+15125550109'), accounts)).toMatchObject({ ok: true });
    const slow = new ProviderAccounts({ ...accounts.options, apiBaseUrl: 'http://127.0.0.1:9' });
    await expect(configureProviderNumber({ em: orm.em.fork(), accounts: slow }, { e164: '+15125550109', gatewayPublicUrl: GATEWAY })).rejects.toThrow();
  });
});
