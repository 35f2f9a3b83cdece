import { expect } from 'vitest';
import type { Stack } from './stack.js';

export interface ClientBusiness {
  name: string;
  timeZone: string;
  twilioNumber: string;
  forwardingNumber: string;
  /** The snapshot YAML to import and provision, with the client's custom values. */
  snapshotYaml: string;
  customValues?: Record<string, string>;
}

/**
 * Onboards a client as an agency does: the number bought at Twilio (the stand-in, in the platform's
 * account, which the control plane checks the claim against), then through GraphQL the sub-account
 * and its snapshot. Returns its id.
 */
export async function onboard(stack: Stack, business: ClientBusiness): Promise<string> {
  stack.twilio.addIncomingNumber({ phoneNumber: business.twilioNumber });
  const created = await stack.graphql<{ createSubAccount: { __typename: string; subAccount?: { id: string } } }>(
    `mutation ($input: CreateSubAccountInput!) { createSubAccount(input: $input) {
      __typename ... on CreateSubAccountPayload { subAccount { id } } } }`,
    {
      input: {
        name: business.name,
        timeZone: business.timeZone,
        twilioNumber: business.twilioNumber,
        forwardingNumber: business.forwardingNumber,
        incomingCallTimeout: 18,
        smsProvider: 'twilio',
      },
    },
  );
  expect(created.createSubAccount.__typename).toBe('CreateSubAccountPayload');
  const subAccountId = created.createSubAccount.subAccount!.id;
  const imported = await stack.graphql<{ importSnapshot: { __typename: string; snapshotVersion?: { id: string } } }>(
    `mutation ($yaml: String!) { importSnapshot(yaml: $yaml) { __typename ... on ImportSnapshotPayload { snapshotVersion { id } } } }`,
    { yaml: business.snapshotYaml },
  );
  expect(imported.importSnapshot.__typename).toBe('ImportSnapshotPayload');
  const customValues = Object.entries(business.customValues ?? {}).map(([key, value]) => ({ key, value }));
  const provisioned = await stack.graphql<{ provisionSnapshot: { __typename: string } }>(
    `mutation ($input: ProvisionSnapshotInput!) { provisionSnapshot(input: $input) { __typename } }`,
    { input: { subAccountId, snapshotVersionId: imported.importSnapshot.snapshotVersion!.id, customValues } },
  );
  expect(provisioned.provisionSnapshot.__typename).toBe('ProvisionSnapshotPayload');
  return subAccountId;
}
