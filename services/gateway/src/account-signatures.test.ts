import { Agency, PhoneNumber, sealTwilioAuthToken, SubAccount, TwilioAccount } from '@mctb/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SID, AUTH_TOKEN, BUSINESS_NUMBER, startGatewayHarness, type GatewayHarness } from './testing/harness.js';

/**
 * Each webhook must be signed with the token of the Twilio account that holds its number. The
 * platform account holds BUSINESS_NUMBER (the harness's demo agency); two agencies bring their own
 * accounts, stored sealed as setTwilioAccount stores them.
 */
describe('webhooks are checked with the token of the account holding the number', () => {
  let h: GatewayHarness;
  const alpha = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'alpha-token-0123456789abcdef', number: '+15125550170' };
  const beta = { accountSid: `AC${'b'.repeat(32)}`, authToken: 'beta-token-0123456789abcdef0', number: '+15125550180' };

  beforeAll(async () => {
    h = await startGatewayHarness();
    const em = h.orm.em.fork();
    for (const agency of [alpha, beta]) {
      const owner = new Agency(`Agency ${agency.accountSid.slice(-1)}`);
      const subAccount = new SubAccount({ agency: owner, name: `Client of ${owner.name}`, timeZone: 'America/Chicago', forwardingNumber: '+15125550199', incomingCallTimeout: 18 });
      const number = new PhoneNumber(agency.number, subAccount);
      number.accountSid = agency.accountSid;
      const account = new TwilioAccount({ accountSid: agency.accountSid, agency: owner, friendlyName: owner.name, ...sealTwilioAuthToken(h.keyring, agency.accountSid, agency.authToken) });
      em.persist([owner, subAccount, number, account]);
    }
    await em.flush();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const incoming = (callSid: string, to: string, accountSid: string, authToken: string) =>
    h.post('/twilio/voice/incoming', { AccountSid: accountSid, CallSid: callSid, From: '+15125550111', To: to, CallStatus: 'ringing' }, { authToken });

  it("takes a call to an agency's number signed with that agency's token", async () => {
    const response = await incoming('CA-alpha-own', alpha.number, alpha.accountSid, alpha.authToken);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<Dial');
    expect(await h.call('CA-alpha-own')).toMatchObject({ callerPhone: '+15125550111' });
  });

  it("refuses (403) a webhook about alpha's number signed with beta's token, whichever account it names, and stores nothing", async () => {
    for (const [callSid, accountSid] of [['CA-beta-as-beta', beta.accountSid], ['CA-beta-as-alpha', alpha.accountSid]] as const) {
      const response = await incoming(callSid, alpha.number, accountSid, beta.authToken);
      expect(response.status).toBe(403);
      expect(await h.call(callSid)).toBeNull();
    }
    const text = await h.post('/twilio/sms/incoming', { AccountSid: beta.accountSid, MessageSid: 'SM-beta-forged', From: '+15125550111', To: alpha.number, Body: 'hi' }, { authToken: beta.authToken });
    expect(text.status).toBe(403);
    expect(await text.json()).toEqual({ error: 'the number is held by another Twilio account: webhook refused' });
  });

  it("refuses the platform token for an agency's number, and an agency token for the platform's number", async () => {
    expect((await incoming('CA-platform-on-alpha', alpha.number, ACCOUNT_SID, AUTH_TOKEN)).status).toBe(403);
    expect((await incoming('CA-alpha-on-platform', BUSINESS_NUMBER, alpha.accountSid, alpha.authToken)).status).toBe(403);
    expect((await incoming('CA-platform-own', BUSINESS_NUMBER, ACCOUNT_SID, AUTH_TOKEN)).status).toBe(200);
  });

  it('refuses a delivery report from an agency number signed with another token, by its From', async () => {
    const report = { AccountSid: beta.accountSid, MessageSid: 'SM-unknown', MessageStatus: 'delivered', From: alpha.number, To: '+15125550111' };
    expect((await h.post('/twilio/sms/status', report, { authToken: beta.authToken })).status).toBe(403);
    // Signed by the holder it passes the check (and then finds no such message of ours).
    expect((await h.post('/twilio/sms/status', { ...report, AccountSid: alpha.accountSid }, { authToken: alpha.authToken })).status).toBe(404);
  });

  it('checks a webhook about a number not ours (a forwarded leg) with the token of the account it names, which must be known', async () => {
    const leg = { CallSid: 'CA-leg', To: '+15125550199', AnsweredBy: 'human' };
    const screen = '/twilio/voice/screen?parent=CA-alpha-own&accept=0&amd=1&min=0';
    expect((await h.post(screen, { ...leg, AccountSid: alpha.accountSid }, { authToken: alpha.authToken })).status).toBe(200);
    expect((await h.post(screen, { ...leg, AccountSid: alpha.accountSid }, { authToken: beta.authToken })).status).toBe(403);
    const unknown = await h.post(screen, { ...leg, AccountSid: `AC${'c'.repeat(32)}` }, { authToken: 'made-up-token' });
    expect(unknown.status).toBe(403);
    expect(await unknown.json()).toEqual({ error: 'the webhook is for a Twilio account this platform does not know: webhook refused' });
  });

  it("takes the agency's rotated token as soon as it is stored, though the old one is cached", async () => {
    const rotated = 'alpha-token-rotated-0123456789';
    const em = h.orm.em.fork();
    const account = await em.findOneOrFail(TwilioAccount, { accountSid: alpha.accountSid });
    Object.assign(account, sealTwilioAuthToken(h.keyring, alpha.accountSid, rotated), { updatedAt: new Date() });
    await em.flush();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a mismatch re-reads a token at most once a second
    expect((await incoming('CA-alpha-rotated', alpha.number, alpha.accountSid, rotated)).status).toBe(200);
    expect((await incoming('CA-alpha-old-token', alpha.number, alpha.accountSid, alpha.authToken)).status).toBe(403);
  });
});
