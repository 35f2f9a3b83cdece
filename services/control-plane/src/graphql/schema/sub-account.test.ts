import { issueApiKey } from '@mctb/control';
import type { AccountSetup } from '@mctb/control';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

let cp: ControlPlaneHarness;
let agency: AccountSetup;

beforeAll(async () => {
  cp = await startControlPlane('control_plane_sub_accounts');
  agency = await cp.seedAgency('Acme Agency', '+15125550110');
});
afterAll(() => cp?.close());

const CREATE = `mutation ($input: CreateSubAccountInput!) {
  createSubAccount(input: $input) {
    __typename
    ... on CreateSubAccountPayload { subAccount { id name timeZone forwardingNumber incomingCallTimeout smsProvider phoneNumbers { e164 smsCapable } } warnings }
    ... on ValidationError { message issues { path message } }
  }
}`;

const valid = { name: 'Greenfield Plumbing', timeZone: 'America/Chicago', twilioNumber: '(512) 555-0120', forwardingNumber: '+1 512 555 0121' };

type CreateResult = { createSubAccount: { __typename: string; issues?: { path: string; message: string }[]; warnings?: string[]; subAccount?: { id: string } } };

describe('createSubAccount', () => {
  it('creates a sub-account with its number normalised to E.164', async () => {
    const { data } = await cp.graphql<CreateResult>(agency.apiKey, CREATE, { input: valid });
    expect(data?.createSubAccount).toEqual({
      __typename: 'CreateSubAccountPayload',
      subAccount: {
        id: expect.any(String),
        name: 'Greenfield Plumbing',
        timeZone: 'America/Chicago',
        forwardingNumber: '+15125550121',
        incomingCallTimeout: 18,
        smsProvider: 'outbox',
        phoneNumbers: [{ e164: '+15125550120', smsCapable: true }],
      },
      warnings: [],
    });
  });

  it('names every bad field: phone number, time zone', async () => {
    const { data } = await cp.graphql<CreateResult>(agency.apiKey, CREATE, {
      input: { ...valid, twilioNumber: '12', timeZone: 'Mars/Olympus_Mons', forwardingNumber: '+15125550130' },
    });
    expect(data?.createSubAccount.__typename).toBe('ValidationError');
    expect(data?.createSubAccount.issues).toEqual([
      { path: 'timeZone', message: '"Mars/Olympus_Mons" is not an IANA time zone' },
      { path: 'twilioNumber', message: expect.stringContaining('"12"') },
    ]);
  });

  it('refuses a Twilio number that already belongs to a sub-account', async () => {
    const { data } = await cp.graphql<CreateResult>(agency.apiKey, CREATE, { input: { ...valid, name: 'Copycat', twilioNumber: agency.twilioNumber } });
    expect(data?.createSubAccount).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: 'twilioNumber', message: `${agency.twilioNumber} already belongs to a sub-account` }],
    });
  });

  it('refuses a 25 s ring timeout unless press-1 screening is on, and says why', async () => {
    const refused = await cp.graphql<CreateResult>(agency.apiKey, CREATE, {
      input: { ...valid, name: 'Slow Pickup', twilioNumber: '+15125550140', incomingCallTimeout: 25 },
    });
    expect(refused.data?.createSubAccount).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: 'incomingCallTimeout', message: expect.stringMatching(/25s is above 20s.*voicemail.*press 1/) }],
    });
    const screened = await cp.graphql<CreateResult>(agency.apiKey, CREATE, {
      input: { ...valid, name: 'Slow Pickup', twilioNumber: '+15125550140', incomingCallTimeout: 25, screening: { pressOneToAccept: true } },
    });
    expect(screened.data?.createSubAccount).toMatchObject({ __typename: 'CreateSubAccountPayload', warnings: [] });
  });

  it('warns when nothing screens the forwarded call', async () => {
    const { data } = await cp.graphql<CreateResult>(agency.apiKey, CREATE, {
      input: { ...valid, name: 'Unscreened', twilioNumber: '+15125550141', screening: { machineDetection: false } },
    });
    expect(data?.createSubAccount.warnings).toEqual([expect.stringMatching(/no call screening/)]);
  });
});

describe('listing sub-accounts', () => {
  const LIST = `{ subAccounts { id phoneNumbers { e164 } provisioning { snapshotVersion { slug } customValues { key value } } installedPlugins { pluginId }
    calls(first: 5) { id } messages(first: 5) { id callSid } } }`;

  /** SQL statements sent while answering one query. */
  async function statementsFor(query: string): Promise<{ count: number; subAccounts: number }> {
    const connection = cp.orm.em.getConnection();
    const execute = vi.spyOn(connection, 'execute');
    try {
      const { data } = await cp.graphql<{ subAccounts: unknown[] }>(agency.apiKey, query);
      return { count: execute.mock.calls.length, subAccounts: data!.subAccounts.length };
    } finally {
      execute.mockRestore();
    }
  }

  it('does not issue more queries as the number of sub-accounts grows (no N+1)', async () => {
    const before = await statementsFor(LIST);
    for (const n of [150, 151, 152, 153]) {
      const { data } = await cp.graphql<CreateResult>(agency.apiKey, CREATE, { input: { ...valid, name: `Client ${n}`, twilioNumber: `+15125550${n}` } });
      expect(data?.createSubAccount.__typename).toBe('CreateSubAccountPayload');
    }
    const after = await statementsFor(LIST);
    expect(after.subAccounts).toBe(before.subAccounts + 4);
    expect(after.count).toBe(before.count);
    // The key, the sub-accounts, then about one query per relation, however many sub-accounts there are.
    expect(after.count).toBeLessThanOrEqual(8);
  });

  it("shows each sub-account's snapshot and custom values", async () => {
    const { data } = await cp.graphql<{ subAccount: unknown }>(
      agency.apiKey,
      'query ($id: ID!) { subAccount(id: $id) { provisioning { snapshotVersion { slug version } customValues { key value } } } }',
      { id: agency.subAccountId },
    );
    expect(data?.subAccount).toEqual({
      provisioning: {
        snapshotVersion: { slug: 'missed-call-text-back', version: 1 },
        customValues: [
          { key: 'booking_link', value: 'https://book.example/acme-agency' },
          { key: 'sign_off', value: 'The team' },
        ],
      },
    });
  });
});

describe('paging through sub-accounts', () => {
  it('pages with first and after, oldest first, without skipping or repeating', async () => {
    type List = { subAccounts: { id: string }[] };
    const everything = (await cp.graphql<List>(agency.apiKey, '{ subAccounts(first: 100) { id } }')).data!.subAccounts.map((s) => s.id);
    expect(everything.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: List = (await cp.graphql<List>(agency.apiKey, 'query ($after: ID) { subAccounts(first: 2, after: $after) { id } }', { after })).data!;
      if (page.subAccounts.length === 0) break;
      expect(page.subAccounts.length).toBeLessThanOrEqual(2);
      seen.push(...page.subAccounts.map((s) => s.id));
      after = page.subAccounts.at(-1)!.id;
    }
    expect(seen).toEqual(everything);
  });
});

describe('updateCallHandling', () => {
  const UPDATE = `mutation ($input: UpdateCallHandlingInput!) { updateCallHandling(input: $input) {
    __typename
    ... on UpdateCallHandlingPayload { subAccount { incomingCallTimeout screening { pressOneToAccept machineDetection minAnsweredSeconds } } warnings }
    ... on Error { message }
    ... on ValidationError { issues { path message } }
  } }`;
  type UpdateResult = { updateCallHandling: { __typename: string; message?: string; issues?: unknown[]; warnings?: string[]; subAccount?: unknown } };

  it('turns on press 1 and rings longer in one change; longer without press 1 is refused with the reason', async () => {
    const refused = await cp.graphql<UpdateResult>(agency.apiKey, UPDATE, { input: { subAccountId: agency.subAccountId, incomingCallTimeout: 30 } });
    expect(refused.data?.updateCallHandling).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'incomingCallTimeout', message: expect.stringMatching(/press 1/) }] });

    const updated = await cp.graphql<UpdateResult>(agency.apiKey, UPDATE, {
      input: { subAccountId: agency.subAccountId, incomingCallTimeout: 30, screening: { pressOneToAccept: true, minAnsweredSeconds: 5 } },
    });
    expect(updated.data?.updateCallHandling).toEqual({
      __typename: 'UpdateCallHandlingPayload',
      subAccount: { incomingCallTimeout: 30, screening: { pressOneToAccept: true, machineDetection: true, minAnsweredSeconds: 5 } },
      warnings: [],
    });
  });

  it('names a threshold out of range', async () => {
    const { data } = await cp.graphql<UpdateResult>(agency.apiKey, UPDATE, { input: { subAccountId: agency.subAccountId, screening: { minAnsweredSeconds: 600 } } });
    expect(data?.updateCallHandling).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'screening.minAnsweredSeconds' }] });
  });

  it('is an agency decision: a sub-account key is refused', async () => {
    const { token } = await issueApiKey(cp.orm.em.fork(), { agencyId: agency.agencyId, subAccountId: agency.subAccountId, name: 'client' });
    const { data } = await cp.graphql<UpdateResult>(token, UPDATE, { input: { subAccountId: agency.subAccountId, screening: { machineDetection: false } } });
    expect(data?.updateCallHandling).toMatchObject({ __typename: 'ForbiddenError', message: expect.stringMatching(/sub-account API key/) });
  });
});
