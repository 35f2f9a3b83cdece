import type {
  BeforeSendEvent,
  CallCompletedEvent,
  CallView,
  ContactView,
  HookEvents,
  HookName,
  MessageReceivedEvent,
  StepInput,
  SubAccountProvisionedEvent,
  TextSentEvent,
} from '@mctb/plugin-sdk';

/**
 * Events as the platform sends them, for a missed call from +15125550123 to Greenfield Plumbing's
 * +15125550100. Every fixture takes overrides; a call or contact inside an event takes a partial
 * one, and the contact's phone follows the call's `from` unless given.
 */
export const FIXTURE_SUB_ACCOUNT_ID = 'sa_fixture';
export const FIXTURE_CALLER = '+15125550123';
export const FIXTURE_BUSINESS_NUMBER = '+15125550100';

export function callFixture(overrides: Partial<CallView> = {}): CallView {
  return {
    callSid: 'CA00000000000000000000000000000001',
    subAccountId: FIXTURE_SUB_ACCOUNT_ID,
    from: FIXTURE_CALLER,
    to: FIXTURE_BUSINESS_NUMBER,
    outcome: 'no_answer',
    outcomeSource: 'dial',
    ...overrides,
  };
}

export function contactFixture(overrides: Partial<ContactView> = {}): ContactView {
  return { id: 'ct_fixture', phone: FIXTURE_CALLER, firstName: '', lastName: '', tags: [], ...overrides };
}

/** A call and the contact of its caller (the contact's phone is the call's `from`). */
function callAndContact(call: Partial<CallView> | undefined, contact: Partial<ContactView> | undefined): { call: CallView; contact: ContactView } {
  const view = callFixture(call);
  return { call: view, contact: contactFixture({ phone: view.from ?? FIXTURE_CALLER, ...contact }) };
}

export function callCompletedFixture(overrides: { call?: Partial<CallView> } = {}): CallCompletedEvent {
  return { call: callFixture(overrides.call) };
}

export function beforeSendFixture(overrides: { call?: Partial<CallView>; contact?: Partial<ContactView>; body?: string } = {}): BeforeSendEvent {
  return { ...callAndContact(overrides.call, overrides.contact), body: overrides.body ?? 'Hi! Sorry we missed your call at Greenfield Plumbing. How can we help?' };
}

export function textSentFixture(
  overrides: { call?: Partial<CallView>; contact?: Partial<ContactView>; body?: string; messageId?: string; providerMessageId?: string | null } = {},
): TextSentEvent {
  return {
    ...beforeSendFixture(overrides),
    messageId: overrides.messageId ?? '0c9a3f2e-5b7d-4e61-9a10-3f2b8c4d5e6f',
    providerMessageId: overrides.providerMessageId === undefined ? 'SM00000000000000000000000000000001' : overrides.providerMessageId,
  };
}

export function messageReceivedFixture(overrides: Partial<Omit<MessageReceivedEvent, 'contact'>> & { contact?: Partial<ContactView> } = {}): MessageReceivedEvent {
  const { contact, ...rest } = overrides;
  return {
    subAccountId: FIXTURE_SUB_ACCOUNT_ID,
    body: 'Yes please, my sink is leaking',
    messageSid: 'SM00000000000000000000000000000002',
    receivedAt: '2026-12-01T15:04:05.000Z',
    ...rest,
    contact: contactFixture(contact),
  };
}

export function subAccountProvisionedFixture(overrides: Partial<SubAccountProvisionedEvent> = {}): SubAccountProvisionedEvent {
  return { subAccountId: FIXTURE_SUB_ACCOUNT_ID, name: 'Greenfield Plumbing', snapshot: { slug: 'missed-call-text-back', version: 1 }, ...overrides };
}

/** The default event of each hook, by name. */
export const eventFixtures: { [H in HookName]: () => HookEvents[H] } = {
  'call.completed': () => callCompletedFixture(),
  'textback.beforeSend': () => beforeSendFixture(),
  'textback.sent': () => textSentFixture(),
  'message.received': () => messageReceivedFixture(),
  'subaccount.provisioned': () => subAccountProvisionedFixture(),
};

/** A step's input as a workflow run gives it; `call: null` for a run no call started. */
export function stepInputFixture(
  overrides: { with?: Record<string, unknown>; call?: Partial<CallView> | null; contact?: Partial<ContactView>; runId?: string; stepId?: string } = {},
): StepInput {
  const { call, contact } = callAndContact(overrides.call ?? undefined, overrides.contact);
  return {
    with: overrides.with ?? {},
    contact,
    call: overrides.call === null ? null : call,
    runId: overrides.runId ?? 'run_fixture',
    stepId: overrides.stepId ?? 'step_fixture',
  };
}
