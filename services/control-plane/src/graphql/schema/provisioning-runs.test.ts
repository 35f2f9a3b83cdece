import { issueApiKey, type AccountSetup, type ProvisioningStarter } from '@mctb/control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

/** Temporal as the control plane sees it: takes a run's workflow, or is unreachable. */
const temporal = { reachable: true, started: [] as string[] };
const starter: ProvisioningStarter = {
  start: async (run) => {
    if (!temporal.reachable) throw new Error('connect ECONNREFUSED 127.0.0.1:7233');
    temporal.started.push(run.id);
  },
};

let cp: ControlPlaneHarness;
let agency: AccountSetup;

beforeAll(async () => {
  cp = await startControlPlane('control_plane_provisioning_runs', { provisioningRuns: starter });
  agency = await cp.seedAgency('Acme Agency', '+15125550170');
});
afterAll(() => cp?.close());

const START = `mutation ($input: StartProvisioningInput!) { startProvisioning(input: $input) {
  __typename
  ... on StartProvisioningPayload { created run { id status total pending failed targets { index status reason } } }
  ... on ValidationError { issues { path message } }
  ... on ForbiddenError { message } } }`;
type Started = {
  startProvisioning: {
    __typename: string;
    created?: boolean;
    run?: { id: string; status: string; total: number; pending: number; failed: number; targets: { index: number; status: string; reason: string | null }[] };
    issues?: { path: string; message: string }[];
    message?: string;
  };
};
const start = async (input: Record<string, unknown>, key = agency.apiKey) => (await cp.graphql<Started>(key, START, { input })).data?.startProvisioning;
const target = (subAccountId: string) => ({ subAccountId, customValues: [{ key: 'booking_link', value: 'https://book.example/x' }] });

describe('startProvisioning', () => {
  it('records a run with a row per target and starts its workflow; a target naming no sub-account of the agency fails at once', async () => {
    const unknown = '11111111-1111-4111-8111-111111111111';
    const result = await start({ idempotencyKey: 'first', snapshot: { slug: 'missed-call-text-back' }, targets: [target(agency.subAccountId), target(unknown)] });
    expect(result).toMatchObject({
      __typename: 'StartProvisioningPayload',
      created: true,
      run: { status: 'RUNNING', total: 2, pending: 1, failed: 1, targets: [{ index: 0, status: 'PENDING', reason: null }, { index: 1, status: 'FAILED', reason: `subAccountId: sub-account ${unknown} not found` }] },
    });
    expect(temporal.started).toContain(result?.run?.id);
  });

  it('when Temporal does not take the run, says so; the same request again starts it', async () => {
    temporal.reachable = false;
    const input = { idempotencyKey: 'while-down', snapshot: { slug: 'missed-call-text-back', version: 1 }, targets: [target(agency.subAccountId)] };
    const refused = await start(input);
    expect(refused).toMatchObject({ __typename: 'ValidationError', issues: [{ path: '', message: expect.stringMatching(/is recorded but its workflow could not be started \(connect ECONNREFUSED.*submit the same request \(same idempotency key\) again/) }] });
    temporal.reachable = true;
    const again = await start(input);
    expect(again).toMatchObject({ __typename: 'StartProvisioningPayload', created: false, run: { total: 1 } });
    expect(temporal.started).toContain(again?.run?.id);
  });

  it('names every problem of a malformed request with its path, and starts nothing', async () => {
    const before = temporal.started.length;
    const result = await start({
      idempotencyKey: ' ',
      snapshot: { slug: 'missed-call-text-back' },
      concurrency: 0,
      targets: [
        { subAccountId: agency.subAccountId, newSubAccount: { name: 'X', timeZone: 'UTC', twilioNumber: '+15125550171', forwardingNumber: '+15125550199' } },
        target(agency.subAccountId),
        target(agency.subAccountId),
        { subAccountId: 'not-an-id' },
      ],
    });
    expect(result?.issues).toEqual([
      { path: 'idempotencyKey', message: expect.stringContaining('1 to 200 printable characters') },
      { path: 'concurrency', message: 'must be a whole number from 1 to 32' },
      { path: 'targets[0]', message: 'give either subAccountId (an existing sub-account) or newSubAccount (one to create), not both' },
      { path: 'targets[1]', message: 'names the same sub-account as targets[0]' },
      { path: 'targets[2]', message: 'names the same sub-account as targets[0]' },
      { path: 'targets[3].subAccountId', message: '"not-an-id" is not a sub-account id' },
    ]);
    expect(await start({ idempotencyKey: 'k', snapshot: { slug: 'nope' }, targets: [target(agency.subAccountId)] })).toMatchObject({
      issues: [{ path: 'snapshot', message: 'no snapshot "nope"' }],
    });
    expect(temporal.started.length).toBe(before);
  });

  it('is the agency’s: a sub-account key may not start one, nor see the agency’s runs', async () => {
    const { token } = await issueApiKey(cp.orm.em.fork(), { agencyId: agency.agencyId, subAccountId: agency.subAccountId, name: 'client' });
    expect(await start({ idempotencyKey: 'client-push', snapshot: { slug: 'missed-call-text-back' }, targets: [target(agency.subAccountId)] }, token)).toMatchObject({
      __typename: 'ForbiddenError',
    });
    const { data } = await cp.graphql<{ provisioningRuns: unknown[] }>(token, '{ provisioningRuns { id } }');
    expect(data?.provisioningRuns).toEqual([]);
  });
});
