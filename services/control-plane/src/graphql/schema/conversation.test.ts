import { issueApiKey, type AccountSetup } from '@mctb/control';
import { Call, CallStore, Contact, Message } from '@mctb/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

let cp: ControlPlaneHarness;
let agency: AccountSetup;
let other: AccountSetup;
const at = (minute: number) => new Date(Date.UTC(2026, 0, 15, 14, minute));

interface Conversation {
  contact: { phone: string };
  unread: number;
  lastMessage: { direction: string; body: string } | null;
  cursor: string;
}

/**
 * Two callers, stored as the gateway and the worker store them: Ann's missed call was texted and
 * she replied twice; Bob's call was skipped (he was already in a conversation) and he texted once.
 */
async function seed(setup: AccountSetup): Promise<{ ann: string; bob: string }> {
  const em = cp.orm.em.fork();
  const calls = new CallStore(cp.orm);
  const contacts = em.getRepository(Contact);
  const messages = em.getRepository(Message);
  const { contact: ann } = await contacts.findOrCreateByPhone(setup.subAccountId, '+15125557101', 'missed_call');
  const { contact: bob } = await contacts.findOrCreateByPhone(setup.subAccountId, '+15125557102', 'missed_call');
  const call = async (sid: string, phone: string, contactId: string | null, minute: number, status: 'sent' | 'skipped', reason: string | null) => {
    await calls.recordIncoming({ subAccountId: setup.subAccountId, callSid: sid, fromRaw: phone, callerPhone: phone, untextableReason: null, toNumber: setup.twilioNumber, startedAt: at(minute) });
    await calls.recordOutcome(sid, { outcome: 'no_answer', source: 'dial', dialCallStatus: 'no-answer', ringSeconds: 18, endedAt: at(minute) });
    await em.nativeUpdate(Call, { callSid: sid }, { textBackStatus: status, textBackReason: reason, ...(contactId ? { contact: contactId } : {}) });
    return (await calls.find(sid))!;
  };
  const annCall = await call(`${setup.agencyId}-ann`, ann.phone, ann.id, 0, 'sent', null);
  await call(`${setup.agencyId}-bob`, bob.phone, bob.id, 5, 'skipped', 'skipped: active conversation within 24h');
  // An answered call from Ann later: the text-back never linked it to her, the thread still shows it.
  await calls.recordIncoming({ subAccountId: setup.subAccountId, callSid: `${setup.agencyId}-ann-2`, fromRaw: ann.phone, callerPhone: ann.phone, untextableReason: null, toNumber: setup.twilioNumber, startedAt: at(30) });
  await calls.recordOutcome(`${setup.agencyId}-ann-2`, { outcome: 'answered', source: 'dial', dialCallStatus: 'completed', connectedSeconds: 60, endedAt: at(31) });

  const text = await messages.recordIntent({ intentId: `${setup.agencyId}/ann/text`, subAccountId: setup.subAccountId, contactId: ann.id, callId: annCall.id, fromNumber: setup.twilioNumber, toNumber: ann.phone, body: 'Sorry we missed you!', provider: 'outbox', segments: 1 });
  await messages.recordDeliveryStatus({ intentId: `${setup.agencyId}/ann/text` }, { status: 'delivered' });
  const inbound = async (contact: Contact, sid: string, body: string, minute: number) => {
    const { message } = await messages.recordInbound({ subAccountId: setup.subAccountId, contactId: contact.id, providerMessageId: sid, fromNumber: contact.phone, toNumber: setup.twilioNumber, body, provider: 'outbox' });
    await em.nativeUpdate(Message, { id: message.id }, { createdAt: at(minute) });
  };
  await em.nativeUpdate(Message, { id: text.message.id }, { createdAt: at(1) });
  await inbound(ann, `${setup.agencyId}-SM1`, 'Can you come today?', 10);
  // A team member's reply goes out with the manual-message sender's intent.
  const reply = await messages.recordIntent({ intentId: `manual-message/${setup.subAccountId}/reply/k1/send`, subAccountId: setup.subAccountId, contactId: ann.id, callId: null, fromNumber: setup.twilioNumber, toNumber: ann.phone, body: 'Yes, at 3?', provider: 'outbox', segments: 1 });
  await em.nativeUpdate(Message, { id: reply.message.id }, { createdAt: at(11) });
  await inbound(ann, `${setup.agencyId}-SM2`, 'Any time after 3', 12);
  await inbound(bob, `${setup.agencyId}-SM3`, 'Still waiting on that quote', 20);
  return { ann: ann.id, bob: bob.id };
}

let ids: { ann: string; bob: string };
beforeAll(async () => {
  cp = await startControlPlane('control_plane_conversations');
  agency = await cp.seedAgency('Acme Agency', '+15125550180');
  other = await cp.seedAgency('Rival Agency', '+15125550181');
  ids = await seed(agency);
  await seed(other);
});
afterAll(() => cp?.close());

const INBOX = `query ($id: ID!, $after: String, $unreadOnly: Boolean) { subAccount(id: $id) {
  unreadConversations
  conversations(first: 1, after: $after, unreadOnly: $unreadOnly) { contact { phone } unread lastMessage { direction body } cursor } } }`;

describe('the inbox', () => {
  it('lists conversations by latest activity with unread counts, a page at a time', async () => {
    const first = await cp.graphql(agency.apiKey, INBOX, { id: agency.subAccountId });
    const page1 = (first.data as { subAccount: { unreadConversations: number; conversations: Conversation[] } }).subAccount;
    expect(page1.unreadConversations).toBe(2);
    expect(page1.conversations).toEqual([{ contact: { phone: '+15125557102' }, unread: 1, lastMessage: { direction: 'inbound', body: 'Still waiting on that quote' }, cursor: expect.any(String) }]);
    const second = await cp.graphql(agency.apiKey, INBOX, { id: agency.subAccountId, after: page1.conversations[0]!.cursor });
    expect((second.data as { subAccount: { conversations: Conversation[] } }).subAccount.conversations).toEqual([
      { contact: { phone: '+15125557101' }, unread: 2, lastMessage: { direction: 'inbound', body: 'Any time after 3' }, cursor: expect.any(String) },
    ]);
    const bad = await cp.graphql(agency.apiKey, INBOX, { id: agency.subAccountId, after: 'nonsense' });
    expect(bad.errors?.[0]?.message).toContain('after: not a cursor');
  });

  it('shows a contact\'s whole thread: calls, texts both ways with delivery status, and why a text was skipped', async () => {
    const thread = async (contactId: string) =>
      (
        (await cp.graphql(agency.apiKey, `query ($id: ID!, $c: ID!) { subAccount(id: $id) { contact(id: $c) { thread { kind direction body status sentBy outcome textBackStatus detail } } } }`, { id: agency.subAccountId, c: contactId }))
          .data as { subAccount: { contact: { thread: Record<string, unknown>[] } } }
      ).subAccount.contact.thread;
    const compact = (entries: Record<string, unknown>[]) => entries.map((entry) => Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== null)));
    expect(compact(await thread(ids.ann))).toEqual([
      { kind: 'CALL', outcome: 'answered' },
      { kind: 'TEXT', direction: 'inbound', body: 'Any time after 3', status: 'received' },
      { kind: 'TEXT', direction: 'outbound', body: 'Yes, at 3?', status: 'pending', sentBy: 'person' },
      { kind: 'TEXT', direction: 'inbound', body: 'Can you come today?', status: 'received' },
      { kind: 'TEXT', direction: 'outbound', body: 'Sorry we missed you!', status: 'delivered', sentBy: 'automation' },
      { kind: 'CALL', outcome: 'no_answer', textBackStatus: 'sent' },
    ]);
    expect(compact(await thread(ids.bob))).toEqual([
      { kind: 'TEXT', direction: 'inbound', body: 'Still waiting on that quote', status: 'received' },
      { kind: 'SYSTEM', detail: 'text-back skipped: skipped: active conversation within 24h' },
      { kind: 'CALL', outcome: 'no_answer', textBackStatus: 'skipped' },
    ]);
  });

  it('marks a conversation read (a sub-account key may), never back in time, and only in scope', async () => {
    const { token } = await issueApiKey(cp.orm.em.fork(), { agencyId: agency.agencyId, subAccountId: agency.subAccountId, name: 'front desk' });
    const MARK = `mutation ($input: MarkConversationReadInput!) { markConversationRead(input: $input) { __typename ... on MarkConversationReadPayload { readAt contact { phone } } } }`;
    const marked = await cp.graphql(token, MARK, { input: { subAccountId: agency.subAccountId, contactId: ids.ann } });
    expect(marked.data).toEqual({ markConversationRead: { __typename: 'MarkConversationReadPayload', readAt: expect.any(String), contact: { phone: '+15125557101' } } });
    const earlier = await cp.graphql(token, MARK, { input: { subAccountId: agency.subAccountId, contactId: ids.ann, at: at(0).toISOString() } });
    expect((earlier.data as { markConversationRead: { readAt: string } }).markConversationRead.readAt).toBe((marked.data as { markConversationRead: { readAt: string } }).markConversationRead.readAt);

    const unread = await cp.graphql(agency.apiKey, INBOX, { id: agency.subAccountId, unreadOnly: true });
    expect((unread.data as { subAccount: { unreadConversations: number; conversations: Conversation[] } }).subAccount).toMatchObject({ unreadConversations: 1, conversations: [{ contact: { phone: '+15125557102' }, unread: 1 }] });

    const elsewhere = await cp.graphql(other.apiKey, MARK, { input: { subAccountId: agency.subAccountId, contactId: ids.ann } });
    expect(elsewhere.data).toEqual({ markConversationRead: { __typename: 'NotFoundError' } });
  });

  it('counts unread conversations for a page of sub-accounts in one go', async () => {
    const listed = await cp.graphql(agency.apiKey, '{ subAccounts { unreadConversations } }');
    expect(listed.data).toEqual({ subAccounts: [{ unreadConversations: 1 }] });
  });
});
