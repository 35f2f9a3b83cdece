import type { AccountSetup } from '@mctb/control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

let cp: ControlPlaneHarness;
let agency: AccountSetup;

beforeAll(async () => {
  cp = await startControlPlane('control_plane_api_keys');
  agency = await cp.seedAgency('Acme Agency', '+15125550191');
});
afterAll(() => cp?.close());

describe('API keys', () => {
  const CREATE = `mutation ($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { __typename ... on CreateApiKeyPayload { token apiKey { id name subAccountId } } ... on ValidationError { issues { path } } }
  }`;
  type Created = { createApiKey: { token: string; apiKey: { id: string } } };

  it('creates a sub-account key whose token works once shown, and revokes it', async () => {
    const created = await cp.graphql<Created>(agency.apiKey, CREATE, { input: { name: 'client portal', subAccountId: agency.subAccountId } });
    expect(created.data?.createApiKey).toMatchObject({
      __typename: 'CreateApiKeyPayload',
      token: expect.stringMatching(/^mctb_/),
      apiKey: { name: 'client portal', subAccountId: agency.subAccountId },
    });
    const { token, apiKey } = created.data!.createApiKey;
    const viewer = await cp.graphql(token, '{ viewer { subAccountScoped subAccount { id } } }');
    expect(viewer.data).toEqual({ viewer: { subAccountScoped: true, subAccount: { id: agency.subAccountId } } });

    const revoked = await cp.graphql(agency.apiKey, 'mutation ($id: ID!) { revokeApiKey(id: $id) { __typename ... on RevokeApiKeyPayload { apiKeyId } } }', { id: apiKey.id });
    expect(revoked.data).toEqual({ revokeApiKey: { __typename: 'RevokeApiKeyPayload', apiKeyId: apiKey.id } });
    expect((await cp.graphql(token, '{ viewer { apiKeyId } }')).status).toBe(401);

    const again = await cp.graphql(agency.apiKey, 'mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }', { id: apiKey.id });
    expect(again.data).toEqual({ revokeApiKey: { __typename: 'NotFoundError' } });
  });

  it('lets a sub-account key revoke itself', async () => {
    const created = await cp.graphql<Created>(agency.apiKey, CREATE, { input: { name: 'leaked', subAccountId: agency.subAccountId } });
    const { token, apiKey } = created.data!.createApiKey;
    const revoked = await cp.graphql(token, 'mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }', { id: apiKey.id });
    expect(revoked.data).toEqual({ revokeApiKey: { __typename: 'RevokeApiKeyPayload' } });
    expect((await cp.graphql(token, '{ viewer { apiKeyId } }')).status).toBe(401);
  });

  it('records when a key was last used, and lists keys newest first with paging', async () => {
    const created = await cp.graphql<Created>(agency.apiKey, CREATE, { input: { name: 'zapier' } });
    const { token, apiKey } = created.data!.createApiKey;
    type Keys = { apiKeys: { id: string; name: string; lastUsedAt: string | null; revokedAt: string | null }[] };
    const before = await cp.graphql<Keys>(agency.apiKey, '{ apiKeys(first: 100) { id name lastUsedAt revokedAt } }');
    expect(before.data?.apiKeys.find((key) => key.id === apiKey.id)).toMatchObject({ name: 'zapier', lastUsedAt: null });

    await cp.graphql(token, '{ viewer { apiKeyId } }');
    const after = await cp.graphql<Keys>(agency.apiKey, '{ apiKeys(first: 100) { id lastUsedAt } }');
    const used = after.data?.apiKeys.find((key) => key.id === apiKey.id);
    expect(Date.now() - Date.parse(used!.lastUsedAt!)).toBeLessThan(60_000);

    const all = after.data!.apiKeys.map((key) => key.id);
    const first = await cp.graphql<Keys>(agency.apiKey, '{ apiKeys(first: 2) { id } }');
    const next = await cp.graphql<Keys>(agency.apiKey, 'query ($after: ID) { apiKeys(first: 2, after: $after) { id } }', { after: first.data!.apiKeys[1]!.id });
    expect([...first.data!.apiKeys, ...next.data!.apiKeys].map((key) => key.id)).toEqual(all.slice(0, 4));
  });

  it('needs a name', async () => {
    const { data } = await cp.graphql(agency.apiKey, CREATE, { input: { name: '  ' } });
    expect(data).toEqual({ createApiKey: { __typename: 'ValidationError', issues: [{ path: 'name' }] } });
  });
});
