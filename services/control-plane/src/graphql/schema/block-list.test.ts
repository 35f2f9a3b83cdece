import type { AccountSetup } from '@mctb/control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

let cp: ControlPlaneHarness;
let agency: AccountSetup;

beforeAll(async () => {
  cp = await startControlPlane('control_plane_block_list');
  agency = await cp.seedAgency('Acme Agency', '+15125550150');
});
afterAll(() => cp?.close());

const BLOCK = `mutation ($input: BlockNumberInput!) { blockNumber(input: $input) {
  __typename ... on BlockNumberPayload { blockedNumber { e164 reason } } ... on ValidationError { issues { path message } } } }`;
const UNBLOCK = `mutation ($input: UnblockNumberInput!) { unblockNumber(input: $input) {
  __typename ... on UnblockNumberPayload { e164 wasBlocked } ... on ValidationError { issues { path message } } } }`;

async function call<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await cp.graphql<Record<string, T>>(agency.apiKey, query, variables);
  expect(response.errors).toBeUndefined();
  return Object.values(response.data!)[0]!;
}

async function blocked(args = ''): Promise<{ e164: string; reason: string | null }[]> {
  const { data } = await cp.graphql<{ subAccount: { blockedNumbers: { e164: string; reason: string | null }[] } }>(
    agency.apiKey,
    `{ subAccount(id: "${agency.subAccountId}") { blockedNumbers${args} { e164 reason createdAt } } }`,
  );
  return data!.subAccount.blockedNumbers.map(({ e164, reason }) => ({ e164, reason }));
}

describe('the block list', () => {
  it('blocks numbers in any common format, lists them by number, and pages', async () => {
    const sub = agency.subAccountId;
    expect(await call(BLOCK, { input: { subAccountId: sub, phone: '(512) 555-0177', reason: 'spam' } })).toEqual({
      __typename: 'BlockNumberPayload',
      blockedNumber: { e164: '+15125550177', reason: 'spam' },
    });
    await call(BLOCK, { input: { subAccountId: sub, phone: '+15125550133' } });
    // Blocking again replaces the reason; the number is listed once.
    await call(BLOCK, { input: { subAccountId: sub, phone: '+1 512 555 0177', reason: 'robocaller' } });
    expect(await blocked()).toEqual([
      { e164: '+15125550133', reason: null },
      { e164: '+15125550177', reason: 'robocaller' },
    ]);
    expect(await blocked('(first: 1, after: "+15125550133")')).toEqual([{ e164: '+15125550177', reason: 'robocaller' }]);

    const [row] = await cp.orm.em.fork().execute('select sub_account_id, e164, reason, created_at from blocked_numbers where e164 = ?', ['+15125550177']);
    expect(row).toMatchObject({ sub_account_id: sub, e164: '+15125550177', reason: 'robocaller' });
  });

  it('refuses a number that is not one, and a reason that is not one line, naming the field', async () => {
    const before = await blocked();
    expect(await call(BLOCK, { input: { subAccountId: agency.subAccountId, phone: 'call me maybe', reason: 'two\nlines' } })).toEqual({
      __typename: 'ValidationError',
      issues: [
        { path: 'phone', message: '"call me maybe" is not a phone number' },
        { path: 'reason', message: 'must be one line' },
      ],
    });
    expect(await call(BLOCK, { input: { subAccountId: agency.subAccountId, phone: '+1 555' } })).toMatchObject({ issues: [{ path: 'phone' }] });
    expect(await call(UNBLOCK, { input: { subAccountId: agency.subAccountId, phone: '' } })).toEqual({ __typename: 'ValidationError', issues: [{ path: 'phone', message: 'is empty' }] });
    expect(await blocked()).toEqual(before);
  });

  it('unblocks, saying whether the number was blocked', async () => {
    const input = { subAccountId: agency.subAccountId, phone: '512-555-0177' };
    expect(await call(UNBLOCK, { input })).toEqual({ __typename: 'UnblockNumberPayload', e164: '+15125550177', wasBlocked: true });
    expect(await call(UNBLOCK, { input })).toEqual({ __typename: 'UnblockNumberPayload', e164: '+15125550177', wasBlocked: false });
    expect(await blocked()).toEqual([{ e164: '+15125550133', reason: null }]);
  });
});

const PAUSE = `mutation ($input: PauseAutomationsInput!) { pauseAutomations(input: $input) {
  __typename ... on AutomationsPausePayload { subAccount { automationsPause { from until reason active } } } ... on ValidationError { issues { path message } } } }`;
const HOUR = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

async function pauseColumns() {
  const [row] = await cp.orm.em.fork().execute(
    'select automations_paused_from, automations_paused_until, automations_paused_reason from sub_accounts where id = ?',
    [agency.subAccountId],
  );
  return row as Record<string, unknown>;
}

describe('pausing text-back', () => {
  it('pauses for a window, shows it, and resumes', async () => {
    const from = inHours(-1);
    const until = inHours(48);
    expect(await call(PAUSE, { input: { subAccountId: agency.subAccountId, from, until, reason: ' Closed for inventory ' } })).toEqual({
      __typename: 'AutomationsPausePayload',
      subAccount: { automationsPause: { from, until, reason: 'Closed for inventory', active: true } },
    });
    const columns = await pauseColumns();
    expect(new Date(columns.automations_paused_from as string).toISOString()).toBe(from);
    expect(new Date(columns.automations_paused_until as string).toISOString()).toBe(until);
    expect(columns.automations_paused_reason).toBe('Closed for inventory');

    // A window still to come replaces it; `from` defaults to now.
    const later = await call<{ subAccount: { automationsPause: Record<string, unknown> } }>(PAUSE, { input: { subAccountId: agency.subAccountId, from: inHours(24), until: inHours(30) } });
    expect(later.subAccount.automationsPause).toMatchObject({ reason: null, active: false });
    const now = await call<{ subAccount: { automationsPause: { from: string } } }>(PAUSE, { input: { subAccountId: agency.subAccountId, until: inHours(2) } });
    expect(Math.abs(Date.parse(now.subAccount.automationsPause.from) - Date.now())).toBeLessThan(60_000);

    const resumed = await cp.graphql(agency.apiKey, `mutation { resumeAutomations(subAccountId: "${agency.subAccountId}") {
      __typename ... on AutomationsPausePayload { subAccount { automationsPause { from } } } } }`);
    expect(resumed.data).toEqual({ resumeAutomations: { __typename: 'AutomationsPausePayload', subAccount: { automationsPause: null } } });
    expect(await pauseColumns()).toEqual({ automations_paused_from: null, automations_paused_until: null, automations_paused_reason: null });
  });

  it('refuses windows that end before they start, last over 90 days or are over, naming the field', async () => {
    const refused = async (input: Record<string, unknown>) => call(PAUSE, { input: { subAccountId: agency.subAccountId, ...input } });
    expect(await refused({ from: inHours(10), until: inHours(5) })).toEqual({ __typename: 'ValidationError', issues: [{ path: 'until', message: 'must be after from' }] });
    expect(await refused({ from: inHours(1), until: inHours(1) })).toEqual({ __typename: 'ValidationError', issues: [{ path: 'until', message: 'must be after from' }] });
    expect(await refused({ from: inHours(0), until: inHours(24 * 91) })).toEqual({ __typename: 'ValidationError', issues: [{ path: 'until', message: 'must be at most 90 days after from' }] });
    expect(await refused({ from: inHours(-10), until: inHours(-2) })).toEqual({ __typename: 'ValidationError', issues: [{ path: 'until', message: 'must be in the future' }] });
    expect(await refused({ until: inHours(2), reason: 'r'.repeat(201) })).toEqual({ __typename: 'ValidationError', issues: [{ path: 'reason', message: 'must be at most 200 characters' }] });
    expect(await pauseColumns()).toEqual({ automations_paused_from: null, automations_paused_until: null, automations_paused_reason: null });

    const garbled = await cp.graphql(agency.apiKey, PAUSE, { input: { subAccountId: agency.subAccountId, until: 'next tuesday' } });
    expect(garbled.errors?.[0]?.message).toMatch(/DateTime must be an ISO 8601 string/);
  });
});
