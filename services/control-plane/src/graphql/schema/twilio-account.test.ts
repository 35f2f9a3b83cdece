import { issueApiKey, ProviderAccounts, type AccountSetup } from '@mctb/control';
import { TwilioAccount } from '@mctb/db';
import { SecretKeyring } from '@mctb/secrets';
import { startFakeTwilio, type FakeTwilio } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';
import { schemaSdl } from '../schema.js';

// The control plane checks credentials and numbers through the real SDK at the Twilio stand-in.
const platform = { accountSid: `AC${'0'.repeat(31)}1`, authToken: 'platformtoken0000000000000000001' };
const acme = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'acmetokenSECRET00000000000000000' };
const rival = { accountSid: `AC${'b'.repeat(32)}`, authToken: 'rivaltokenSECRET0000000000000000' };

let twilio: FakeTwilio;
let cp: ControlPlaneHarness;
let acmeAgency: AccountSetup;
let rivalAgency: AccountSetup;

beforeAll(async () => {
  twilio = await startFakeTwilio(platform);
  twilio.addAccount(acme);
  twilio.addAccount(rival);
  const keyring = SecretKeyring.parse(SecretKeyring.generateEntry('k1'));
  cp = await startControlPlane('control_plane_twilio_accounts', { providerAccounts: new ProviderAccounts({ keyring, platform, apiBaseUrl: twilio.url, timeoutMs: 2_000 }) });
  acmeAgency = await cp.seedAgency('Acme', '+15125550140');
  rivalAgency = await cp.seedAgency('Rival', '+15125550150');
});
afterAll(async () => {
  await cp?.close();
  await twilio?.stop();
});

const SET = `mutation ($input: SetTwilioAccountInput!) {
  setTwilioAccount(input: $input) {
    __typename
    ... on SetTwilioAccountPayload { twilioAccount { accountSid friendlyName keyId createdAt updatedAt } }
    ... on ValidationError { issues { path message } }
    ... on ForbiddenError { message }
  }
}`;
const CREATE = `mutation ($input: CreateSubAccountInput!) {
  createSubAccount(input: $input) {
    __typename
    ... on CreateSubAccountPayload { phoneNumber { e164 accountSid } }
    ... on ValidationError { issues { path message } }
  }
}`;
type SetResult = { setTwilioAccount: { __typename: string; twilioAccount?: Record<string, string>; issues?: { path: string; message: string }[]; message?: string } };
type CreateResult = { createSubAccount: { __typename: string; phoneNumber?: { e164: string; accountSid: string | null }; issues?: { path: string; message: string }[] } };
const client = (twilioNumber: string) => ({ input: { name: `Client ${twilioNumber}`, timeZone: 'America/Chicago', twilioNumber, forwardingNumber: '+15125550199' } });

describe('setTwilioAccount and twilioAccount', () => {
  it('stores the credentials Twilio accepts; the API answers with the SID and key id, the column holds ciphertext', async () => {
    const response = await cp.graphql<SetResult>(acmeAgency.apiKey, SET, { input: acme });
    expect(response.data?.setTwilioAccount).toEqual({
      __typename: 'SetTwilioAccountPayload',
      twilioAccount: { accountSid: acme.accountSid, friendlyName: expect.any(String), keyId: 'k1', createdAt: expect.any(String), updatedAt: expect.any(String) },
    });
    expect(JSON.stringify(response)).not.toContain(acme.authToken);

    const read = await cp.graphql<{ twilioAccount: Record<string, string> | null }>(acmeAgency.apiKey, '{ twilioAccount { accountSid keyId } }');
    expect(read.data?.twilioAccount).toEqual({ accountSid: acme.accountSid, keyId: 'k1' });

    const rows = await cp.orm.em.fork().getConnection().execute<{ auth_token_ciphertext: string; auth_token_key_id: string }[]>(
      'select auth_token_ciphertext, auth_token_key_id from twilio_accounts where account_sid = ?',
      [acme.accountSid],
    );
    expect(rows).toEqual([{ auth_token_ciphertext: expect.stringMatching(/^v1\./), auth_token_key_id: 'k1' }]);
    expect(rows[0]!.auth_token_ciphertext).not.toContain(acme.authToken);
    expect(Buffer.from(rows[0]!.auth_token_ciphertext.slice(3), 'base64').toString('latin1')).not.toContain(acme.authToken);
  });

  it('has no field that could return a token: the TwilioAccount type holds only the SID, name, key id and dates', async () => {
    const fields = await cp.graphql<{ __type: { fields: { name: string }[] } }>(acmeAgency.apiKey, '{ __type(name: "TwilioAccount") { fields { name } } }');
    expect(fields.data?.__type.fields.map((f) => f.name).sort()).toEqual(['accountSid', 'createdAt', 'friendlyName', 'keyId', 'updatedAt']);
    // Only the input a client sends names an auth token; no output type does.
    const outputTokenFields = schemaSdl()
      .split(/\n(?=type |input |union |enum |scalar |interface )/)
      .filter((block) => !block.startsWith('input '))
      .filter((block) => /^\s+\w*(authToken|auth_token|Ciphertext)\w*\b/im.test(block));
    expect(outputTokenFields).toEqual([]);
  });

  it('refuses credentials Twilio rejects, naming the field, and leaves the stored account alone', async () => {
    const response = await cp.graphql<SetResult>(acmeAgency.apiKey, SET, { input: { accountSid: acme.accountSid, authToken: rival.authToken } });
    expect(response.data?.setTwilioAccount).toEqual({ __typename: 'ValidationError', issues: [{ path: 'authToken', message: 'Twilio refused this account SID and auth token (HTTP 401)' }] });
    const taken = await cp.graphql<SetResult>(rivalAgency.apiKey, SET, { input: acme });
    expect(taken.data?.setTwilioAccount.issues).toEqual([{ path: 'accountSid', message: `${acme.accountSid} is already another agency's account` }]);
    const rows = await cp.orm.em.fork().find(TwilioAccount, {});
    expect(rows.map((row) => row.accountSid)).toEqual([acme.accountSid]);
  });

  it('is for agency keys only', async () => {
    const { token } = await issueApiKey(cp.orm.em.fork(), { agencyId: acmeAgency.agencyId, subAccountId: acmeAgency.subAccountId, name: 'client' });
    const response = await cp.graphql<SetResult>(token, SET, { input: acme });
    expect(response.data?.setTwilioAccount).toMatchObject({ __typename: 'ForbiddenError' });
    expect((await cp.graphql<{ twilioAccount: unknown }>(token, '{ twilioAccount { accountSid } }')).data?.twilioAccount).toBeNull();
  });
});

describe('createSubAccount claims only numbers the agency’s account holds', () => {
  it("accepts its own account's number and shows which account holds it", async () => {
    twilio.addIncomingNumber({ phoneNumber: '+15125550141', accountSid: acme.accountSid });
    const { data } = await cp.graphql<CreateResult>(acmeAgency.apiKey, CREATE, client('+15125550141'));
    expect(data?.createSubAccount).toEqual({ __typename: 'CreateSubAccountPayload', phoneNumber: { e164: '+15125550141', accountSid: acme.accountSid } });
  });

  it("refuses another agency's unclaimed number with a ValidationError at twilioNumber", async () => {
    twilio.addIncomingNumber({ phoneNumber: '+15125550142', accountSid: acme.accountSid });
    const { data } = await cp.graphql<CreateResult>(rivalAgency.apiKey, CREATE, client('+15125550142'));
    expect(data?.createSubAccount).toEqual({
      __typename: 'ValidationError',
      issues: [{ path: 'twilioNumber', message: "+15125550142 is not a number of the platform's Twilio account; buy or port it into that account first" }],
    });
  });
});
