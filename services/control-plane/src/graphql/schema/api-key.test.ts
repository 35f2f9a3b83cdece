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

  it('needs a name', async () => {
    const { data } = await cp.graphql(agency.apiKey, CREATE, { input: { name: '  ' } });
    expect(data).toEqual({ createApiKey: { __typename: 'ValidationError', issues: [{ path: 'name' }] } });
  });
});
