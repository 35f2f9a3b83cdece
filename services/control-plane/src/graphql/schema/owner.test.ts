import type { AccountSetup } from '@mctb/control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

let cp: ControlPlaneHarness;
let agency: AccountSetup;
let other: AccountSetup;

beforeAll(async () => {
  cp = await startControlPlane('control_plane_owner');
  agency = await cp.seedAgency('Acme Agency', '+15125550160');
  other = await cp.seedAgency('Other Agency', '+15125550161');
});
afterAll(() => cp?.close());

const UPDATE = `mutation ($input: UpdateOwnerInput!) { updateOwner(input: $input) {
  __typename ... on UpdateOwnerPayload { subAccount { owner { email phone } } }
  ... on ValidationError { issues { path message } } ... on NotFoundError { message } } }`;

async function update(apiKey: string, input: Record<string, unknown>) {
  const response = await cp.graphql<{ updateOwner: Record<string, unknown> }>(apiKey, UPDATE, { input });
  expect(response.errors).toBeUndefined();
  return response.data!.updateOwner;
}
const owner = async () =>
  (await cp.graphql<{ subAccount: { owner: unknown } }>(agency.apiKey, `{ subAccount(id: "${agency.subAccountId}") { owner { email phone } } }`)).data!.subAccount.owner;

describe('the owner automations notify', () => {
  it('sets the e-mail and the mobile (normalised), keeps what is omitted, and clears with ""', async () => {
    expect(await update(agency.apiKey, { subAccountId: agency.subAccountId, email: ' pat@greenfield.example ', phone: '(512) 555-0142' })).toEqual({
      __typename: 'UpdateOwnerPayload',
      subAccount: { owner: { email: 'pat@greenfield.example', phone: '+15125550142' } },
    });
    await update(agency.apiKey, { subAccountId: agency.subAccountId, phone: '' });
    expect(await owner()).toEqual({ email: 'pat@greenfield.example', phone: null });
  });

  it('refuses an address and a number that are not, naming each field, and changes nothing', async () => {
    expect(await update(agency.apiKey, { subAccountId: agency.subAccountId, email: 'pat at greenfield', phone: 'call me' })).toEqual({
      __typename: 'ValidationError',
      issues: [
        { path: 'email', message: 'must be an e-mail address such as owner@example.com' },
        { path: 'phone', message: '"call me" is not a phone number' },
      ],
    });
    expect(await owner()).toEqual({ email: 'pat@greenfield.example', phone: null });
  });

  it("is out of reach of another agency's key", async () => {
    expect(await update(other.apiKey, { subAccountId: agency.subAccountId, email: 'mallory@example.com' })).toMatchObject({ __typename: 'NotFoundError' });
    expect(await owner()).toEqual({ email: 'pat@greenfield.example', phone: null });
  });
});
