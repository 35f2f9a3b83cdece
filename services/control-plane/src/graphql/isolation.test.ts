import type { AccountSetup } from '@mctb/control';
import { issueApiKey } from '@mctb/control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { starterSnapshotYaml, startControlPlane, type ControlPlaneHarness } from '../testing/harness.js';

let cp: ControlPlaneHarness;
let a: AccountSetup;
let b: AccountSetup;
/** A key of agency A bound to A's sub-account. */
let aSubKey: string;
/** A second sub-account of agency A, which A's sub-account key must not see. */
let aOtherSubId: string;

const SUB_ACCOUNT_FIELDS = 'id name phoneNumbers { e164 } provisioning { snapshotVersion { id } } installedPlugins { pluginId }';

beforeAll(async () => {
  cp = await startControlPlane('control_plane_isolation');
  a = await cp.seedAgency('Agency A', '+15125550101');
  b = await cp.seedAgency('Agency B', '+15125550102');
  aSubKey = (await issueApiKey(cp.orm.em.fork(), { agencyId: a.agencyId, subAccountId: a.subAccountId, name: 'client portal' })).token;
  const created = await cp.graphql<{ createSubAccount: { subAccount: { id: string } } }>(
    a.apiKey,
    `mutation { createSubAccount(input: { name: "A second", timeZone: "America/Denver", twilioNumber: "+15125550103", forwardingNumber: "+15125550198" }) {
      ... on CreateSubAccountPayload { subAccount { id } } } }`,
  );
  aOtherSubId = created.data!.createSubAccount.subAccount.id;
});
afterAll(() => cp?.close());

describe('an agency key', () => {
  it("lists only its own agency's sub-accounts", async () => {
    const { data } = await cp.graphql<{ subAccounts: { id: string }[] }>(a.apiKey, `{ subAccounts { ${SUB_ACCOUNT_FIELDS} } }`);
    expect(data?.subAccounts.map((s) => s.id).sort()).toEqual([a.subAccountId, aOtherSubId].sort());
  });

  it("gets null for another agency's sub-account, exactly as for a missing one", async () => {
    const query = `query ($id: ID!) { subAccount(id: $id) { ${SUB_ACCOUNT_FIELDS} } }`;
    const other = await cp.graphql(a.apiKey, query, { id: b.subAccountId });
    const missing = await cp.graphql(a.apiKey, query, { id: '00000000-0000-4000-8000-000000000000' });
    const garbage = await cp.graphql(a.apiKey, query, { id: 'not-a-uuid' });
    expect(other).toEqual({ status: 200, data: { subAccount: null } });
    expect(missing).toEqual(other);
    expect(garbage).toEqual(other);
  });

  it("cannot provision into another agency's sub-account", async () => {
    const { data } = await cp.graphql(
      a.apiKey,
      `mutation ($input: ProvisionSnapshotInput!) { provisionSnapshot(input: $input) {
        __typename ... on NotFoundError { message } } }`,
      { input: { subAccountId: b.subAccountId, snapshotVersionId: a.snapshotVersionId, customValues: [{ key: 'booking_link', value: 'https://x.example' }] } },
    );
    expect(data).toEqual({ provisionSnapshot: { __typename: 'NotFoundError', message: `sub-account ${b.subAccountId} not found` } });
  });

  it("cannot install a plugin into another agency's sub-account", async () => {
    const { data } = await cp.graphql(
      a.apiKey,
      `mutation ($input: InstallPluginInput!) { installPlugin(input: $input) { __typename ... on Error { message } } }`,
      { input: { subAccountId: b.subAccountId, pluginId: 'voice-ai', config: { agentUrl: 'https://agent.example/twiml', signingSecret: 'x'.repeat(20) } } },
    );
    expect(data).toEqual({ installPlugin: { __typename: 'NotFoundError', message: `sub-account ${b.subAccountId} not found` } });
    const installedInB = await cp.graphql<{ subAccount: { installedPlugins: unknown[] } }>(
      b.apiKey,
      `query ($id: ID!) { subAccount(id: $id) { installedPlugins { pluginId } } }`,
      { id: b.subAccountId },
    );
    expect(installedInB.data?.subAccount.installedPlugins).toEqual([]);
  });

  it("does not see another agency's snapshot versions, nor provision from them", async () => {
    const listed = await cp.graphql<{ snapshotVersions: { id: string }[] }>(a.apiKey, '{ snapshotVersions { id } }');
    expect(listed.data?.snapshotVersions).toEqual([{ id: a.snapshotVersionId }]);

    const direct = await cp.graphql(a.apiKey, 'query ($id: ID!) { snapshotVersion(id: $id) { id } }', { id: b.snapshotVersionId });
    expect(direct.data).toEqual({ snapshotVersion: null });

    const provisioned = await cp.graphql(
      a.apiKey,
      `mutation ($input: ProvisionSnapshotInput!) { provisionSnapshot(input: $input) { __typename ... on Error { message } } }`,
      { input: { subAccountId: a.subAccountId, snapshotVersionId: b.snapshotVersionId, customValues: [{ key: 'booking_link', value: 'https://x.example' }] } },
    );
    expect(provisioned.data).toEqual({ provisionSnapshot: { __typename: 'NotFoundError', message: `snapshot version ${b.snapshotVersionId} not found` } });
  });

  it("cannot bind a new key to another agency's sub-account", async () => {
    const { data } = await cp.graphql(
      a.apiKey,
      `mutation ($id: ID!) { createApiKey(input: { name: "sneaky", subAccountId: $id }) { __typename ... on Error { message } } }`,
      { id: b.subAccountId },
    );
    expect(data).toEqual({ createApiKey: { __typename: 'NotFoundError', message: `sub-account ${b.subAccountId} not found` } });
  });
});

describe('a sub-account key', () => {
  it('sees only its own sub-account', async () => {
    const { data } = await cp.graphql<{ viewer: unknown; subAccounts: { id: string }[]; sibling: unknown }>(
      aSubKey,
      `query ($sibling: ID!) { viewer { subAccountScoped subAccount { id } } subAccounts { id } sibling: subAccount(id: $sibling) { id } }`,
      { sibling: aOtherSubId },
    );
    expect(data).toEqual({
      viewer: { subAccountScoped: true, subAccount: { id: a.subAccountId } },
      subAccounts: [{ id: a.subAccountId }],
      sibling: null,
    });
  });

  it('cannot create sub-accounts, import snapshots or create keys', async () => {
    const { data } = await cp.graphql(
      aSubKey,
      `mutation ($yaml: String!) {
        createSubAccount(input: { name: "Nope", timeZone: "America/Chicago", twilioNumber: "+15125550104", forwardingNumber: "+15125550197" }) {
          __typename ... on ForbiddenError { message } }
        importSnapshot(yaml: $yaml) { __typename ... on ForbiddenError { message } }
        createApiKey(input: { name: "escalate" }) { __typename ... on ForbiddenError { message } }
      }`,
      { yaml: await starterSnapshotYaml() },
    );
    expect(data).toEqual({
      createSubAccount: { __typename: 'ForbiddenError', message: 'a sub-account API key cannot create sub-accounts' },
      importSnapshot: { __typename: 'ForbiddenError', message: 'a sub-account API key cannot import snapshots' },
      createApiKey: { __typename: 'ForbiddenError', message: expect.stringContaining('needs an agency API key') },
    });
    const listed = await cp.graphql<{ subAccounts: unknown[] }>(a.apiKey, '{ subAccounts { id } }');
    expect(listed.data?.subAccounts).toHaveLength(2);
  });

  it("cannot provision snapshots or install plugins: what runs in a sub-account is the agency's decision", async () => {
    const { data } = await cp.graphql(
      aSubKey,
      `mutation ($sub: ID!, $version: ID!) {
        provisionSnapshot(input: { subAccountId: $sub, snapshotVersionId: $version, customValues: [{ key: "booking_link", value: "https://x.example" }] }) {
          __typename ... on ForbiddenError { message } }
        installPlugin(input: { subAccountId: $sub, pluginId: "voice-ai", config: { agentUrl: "https://agent.example/twiml", signingSecret: "0123456789abcdef0123" } }) {
          __typename ... on ForbiddenError { message } }
      }`,
      { sub: a.subAccountId, version: a.snapshotVersionId },
    );
    expect(data).toEqual({
      provisionSnapshot: { __typename: 'ForbiddenError', message: expect.stringMatching(/^a sub-account API key cannot provision snapshots/) },
      installPlugin: { __typename: 'ForbiddenError', message: expect.stringMatching(/^a sub-account API key cannot install plugins/) },
    });
    const installed = await cp.graphql<{ subAccount: { installedPlugins: unknown[] } }>(a.apiKey, '{ subAccount(id: "' + a.subAccountId + '") { installedPlugins { pluginId } } }');
    expect(installed.data?.subAccount.installedPlugins).toEqual([]);
  });

  it('still reads its own calls, messages and keys', async () => {
    const { data, errors } = await cp.graphql<{ subAccounts: unknown[]; apiKeys: { subAccountId: string }[] }>(
      aSubKey,
      '{ subAccounts { calls(first: 5) { id } messages(first: 5) { id } } apiKeys { subAccountId } }',
    );
    expect(errors).toBeUndefined();
    expect(data?.subAccounts).toHaveLength(1);
    expect(data?.apiKeys.every((key) => key.subAccountId === a.subAccountId)).toBe(true);
  });

  it("cannot revoke the agency's keys", async () => {
    const { data: viewer } = await cp.graphql<{ viewer: { apiKeyId: string } }>(a.apiKey, '{ viewer { apiKeyId } }');
    const { data } = await cp.graphql(aSubKey, 'mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }', { id: viewer!.viewer.apiKeyId });
    expect(data).toEqual({ revokeApiKey: { __typename: 'NotFoundError' } });
    expect((await cp.graphql(a.apiKey, '{ viewer { apiKeyId } }')).status).toBe(200);
  });
});
