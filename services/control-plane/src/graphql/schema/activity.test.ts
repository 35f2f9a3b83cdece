import type { AccountSetup } from '@mctb/control';
import { Call, CallStore, Contact, Message } from '@mctb/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

let cp: ControlPlaneHarness;
let agency: AccountSetup;
let other: AccountSetup;

const CALLER = '+15125557001';

/** Stores calls and texts the way the gateway and the worker do, at fixed times. */
async function seedActivity(setup: AccountSetup, prefix: string): Promise<void> {
  const em = cp.orm.em.fork();
  const calls = new CallStore(cp.orm);
  const messages = em.getRepository(Message);
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 15, 14, minute));
  for (const [minute, sid] of [[0, `${prefix}-old`], [10, `${prefix}-mid`], [20, `${prefix}-new`]] as const) {
    await calls.recordIncoming({
      subAccountId: setup.subAccountId,
      callSid: sid,
      fromRaw: CALLER,
      callerPhone: CALLER,
      untextableReason: null,
      toNumber: setup.twilioNumber,
      startedAt: at(minute),
    });
  }
  await calls.recordOutcome(`${prefix}-mid`, { outcome: 'no_answer', source: 'dial', dialCallStatus: 'no-answer', ringSeconds: 18, endedAt: at(11) });
  // What the text-back workflow records once the text went out.
  await em.nativeUpdate(Call, { callSid: `${prefix}-mid` }, { textBackStatus: 'sent', textBackReason: null });
  const mid = await calls.find(`${prefix}-mid`);
  const sent = await messages.recordIntent({
    intentId: `${prefix}/text-back`,
    subAccountId: setup.subAccountId,
    contactId: null,
    callId: mid!.id,
    fromNumber: setup.twilioNumber,
    toNumber: CALLER,
    body: 'Sorry we missed your call!',
    provider: 'outbox',
    segments: 1,
  });
  const { contact } = await em.getRepository(Contact).findOrCreateByPhone(setup.subAccountId, CALLER, 'missed_call');
  const reply = await messages.recordInbound({
    subAccountId: setup.subAccountId,
    contactId: contact.id,
    providerMessageId: `${prefix}-SM1`,
    fromNumber: CALLER,
    toNumber: setup.twilioNumber,
    body: 'Can you come today?',
    provider: 'outbox',
  });
  await em.nativeUpdate(Message, { id: sent.message.id }, { createdAt: at(12) });
  await em.nativeUpdate(Message, { id: reply.message.id }, { createdAt: at(15) });
}

beforeAll(async () => {
  cp = await startControlPlane('control_plane_activity');
  agency = await cp.seedAgency('Acme Agency', '+15125550170');
  other = await cp.seedAgency('Other Agency', '+15125550171');
  await seedActivity(agency, 'CA-acme');
  await seedActivity(other, 'CA-other');
});
afterAll(() => cp?.close());

describe('calls', () => {
  const CALLS = `query ($id: ID!, $first: Int, $before: DateTime) {
    subAccount(id: $id) { calls(first: $first, before: $before) { callSid from fromRaw to outcome outcomeSource ringSeconds textBackStatus startedAt endedAt } }
  }`;
  type Calls = { subAccount: { calls: { callSid: string }[] } };

  it('lists stored calls newest first, with their outcome', async () => {
    const { data } = await cp.graphql<Calls>(agency.apiKey, CALLS, { id: agency.subAccountId });
    expect(data?.subAccount.calls.map((call) => call.callSid)).toEqual(['CA-acme-new', 'CA-acme-mid', 'CA-acme-old']);
    expect(data?.subAccount.calls[1]).toEqual({
      callSid: 'CA-acme-mid',
      from: CALLER,
      fromRaw: CALLER,
      to: agency.twilioNumber,
      outcome: 'NO_ANSWER',
      outcomeSource: 'dial',
      ringSeconds: 18,
      textBackStatus: 'SENT',
      startedAt: '2026-01-15T14:10:00.000Z',
      endedAt: '2026-01-15T14:11:00.000Z',
    });
  });

  it('pages back in time with first and before', async () => {
    const { data } = await cp.graphql<Calls>(agency.apiKey, CALLS, { id: agency.subAccountId, first: 1, before: '2026-01-15T14:20:00.000Z' });
    expect(data?.subAccount.calls.map((call) => call.callSid)).toEqual(['CA-acme-mid']);
  });

  it('keeps each sub-account to its own calls when many are listed at once', async () => {
    const { data } = await cp.graphql<{ subAccounts: { calls: { callSid: string }[] }[] }>(
      other.apiKey,
      '{ subAccounts { calls(first: 2) { callSid } } }',
    );
    expect(data?.subAccounts).toEqual([{ calls: [{ callSid: 'CA-other-new' }, { callSid: 'CA-other-mid' }] }]);
  });
});

describe('messages', () => {
  it('lists texts newest first, with the call a text-back answers', async () => {
    const { data } = await cp.graphql<{ subAccount: unknown }>(
      agency.apiKey,
      `query ($id: ID!) { subAccount(id: $id) { messages { direction from to body status provider segments callSid createdAt call { callSid outcome } } } }`,
      { id: agency.subAccountId },
    );
    expect(data?.subAccount).toEqual({
      messages: [
        {
          direction: 'INBOUND',
          from: CALLER,
          to: agency.twilioNumber,
          body: 'Can you come today?',
          status: 'RECEIVED',
          provider: 'outbox',
          segments: 1,
          callSid: null,
          createdAt: '2026-01-15T14:15:00.000Z',
          call: null,
        },
        {
          direction: 'OUTBOUND',
          from: agency.twilioNumber,
          to: CALLER,
          body: 'Sorry we missed your call!',
          status: 'PENDING',
          provider: 'outbox',
          segments: 1,
          callSid: 'CA-acme-mid',
          createdAt: '2026-01-15T14:12:00.000Z',
          call: { callSid: 'CA-acme-mid', outcome: 'NO_ANSWER' },
        },
      ],
    });
  });

  it("shows a call's texts", async () => {
    const { data } = await cp.graphql<{ subAccount: { calls: { callSid: string; messages: { body: string }[] }[] } }>(
      agency.apiKey,
      'query ($id: ID!) { subAccount(id: $id) { calls { callSid messages { body } } } }',
      { id: agency.subAccountId },
    );
    expect(data?.subAccount.calls).toEqual([
      { callSid: 'CA-acme-new', messages: [] },
      { callSid: 'CA-acme-mid', messages: [{ body: 'Sorry we missed your call!' }] },
      { callSid: 'CA-acme-old', messages: [] },
    ]);
  });
});
