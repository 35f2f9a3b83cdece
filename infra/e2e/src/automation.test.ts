import { describeOpening, localDate, nextOpening, type BusinessHours } from '@mctb/business-hours';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboard } from './provision.js';
import { eventually, startStack, type Stack } from './stack.js';

const BUSINESS_NUMBER = '+15125550120';
const ZONE = 'America/Chicago';
const DAY_MS = 86_400_000;

interface RunRow {
  workflowKey: string;
  snapshotVersion: number;
  status: string;
  currentStep: string | null;
  steps: { stepId: string; status: string; detail: string | null }[];
}

/**
 * Open an hour a day, and closed yesterday, today and tomorrow (local dates): whenever the test
 * runs, the business is closed and opens the day after tomorrow at 8:00 AM.
 */
function closedForNow(now: Date): { yaml: string; hours: BusinessHours } {
  const closed = [-1, 0, 1].map((offset) => localDate(ZONE, new Date(now.getTime() + offset * DAY_MS)));
  return {
    hours: { timeZone: ZONE, weekly: Array.from({ length: 7 }, () => [{ start: 480, end: 540 }]), closed },
    yaml: `apiVersion: mctb.dev/v2
kind: Snapshot
metadata: { slug: e2e-after-hours, name: After hours with a follow-up, version: 1 }
customValues:
  - { key: booking_link, name: Booking link, required: true }
businessHours:
  timeZone: ${ZONE}
  weekly:
    mon-fri: ["08:00-09:00"]
    sat: ["08:00-09:00"]
    sun: ["08:00-09:00"]
  closed: [${closed.map((date) => `"${date}"`).join(', ')}]
quietHours: "off"
templates:
  in_hours: "Sorry we missed you at {{ location.name }}! Book: {{ custom_values.booking_link }}"
  after_hours: "Thanks for calling {{ location.name }}. We're closed and open {{ business_hours.next_open }}."
  follow_up: "Still need a hand? {{ custom_values.booking_link }}"
  vip_welcome: "Welcome to the VIP list at {{ location.name }}!"
workflows:
  - key: missed_call
    trigger: { type: call.missed, outcomes: [no_answer, voicemail] }
    dedup: { per: contact, window: 24h }
    steps:
      - { id: delay, wait: 2s }
      - id: hours
        if: { business_hours: open }
        then: [{ id: text_in, send_sms: in_hours }]
        else: [{ id: text_after, send_sms: after_hours }]
      - id: reply
        wait_for_reply: 24h
        replied: [{ id: tag_replied, add_tag: replied }]
        no_reply: [{ id: follow_up, send_sms: follow_up }]
  - key: vip
    trigger: { type: contact.tagged, tag: vip }
    steps:
      - { id: welcome, send_sms: vip_welcome }
`,
  };
}

describe('a v2 automation provisioned through GraphQL runs on the real stack (separate processes)', () => {
  let stack: Stack;
  let subAccountId: string;
  let hours: BusinessHours;

  beforeAll(async () => {
    stack = await startStack();
    const snapshot = closedForNow(new Date());
    hours = snapshot.hours;
    subAccountId = await onboard(stack, {
      name: 'Greenfield Plumbing',
      timeZone: ZONE,
      twilioNumber: BUSINESS_NUMBER,
      forwardingNumber: '+15125550199',
      snapshotYaml: snapshot.yaml,
      customValues: { booking_link: 'https://book.example/greenfield' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const runsOf = async (phone: string) =>
    (
      await stack.graphql<{ subAccount: { contacts: { tags: string[]; runs: RunRow[] }[] } }>(
        `query ($id: ID!, $phone: String!) { subAccount(id: $id) { contacts(first: 1, phone: $phone) {
          tags runs { workflowKey snapshotVersion status currentStep steps { stepId status detail } } } } }`,
        { id: subAccountId, phone },
      )
    ).subAccount.contacts[0];

  it('texts a caller after hours when the business opens, and their reply stops the 24 h follow-up', async () => {
    const caller = '+15125550221';
    const callSid = 'CA-e2e-after-hours';
    await stack.webhook('/twilio/voice/incoming', { CallSid: callSid, From: caller, To: BUSINESS_NUMBER, CallStatus: 'ringing' });
    const missedAt = new Date();
    await stack.webhook('/twilio/voice/dial-result', { CallSid: callSid, From: caller, To: BUSINESS_NUMBER, CallStatus: 'in-progress', DialCallStatus: 'no-answer' });

    await eventually(async () => expect(stack.twilio.messages().filter((m) => m.to === caller)).toHaveLength(1));
    const opening = describeOpening(nextOpening(hours, ZONE, missedAt)!, missedAt, ZONE);
    expect(stack.twilio.messages().find((m) => m.to === caller)!.body).toBe(`Thanks for calling Greenfield Plumbing. We're closed and open ${opening}.`);
    await eventually(async () => expect((await runsOf(caller))!.runs[0]).toMatchObject({ status: 'RUNNING', currentStep: 'reply' }));

    const reply = await stack.webhook('/twilio/sms/incoming', { MessageSid: 'SM-e2e-reply', From: caller, To: BUSINESS_NUMBER, Body: 'Yes, Thursday works' });
    expect(reply.status).toBe(200);
    await eventually(async () => {
      const contact = (await runsOf(caller))!;
      expect(contact.tags).toEqual(['replied']);
      expect(contact.runs[0]).toMatchObject({ workflowKey: 'missed_call', snapshotVersion: 1, status: 'COMPLETED' });
      expect(contact.runs[0]!.steps.map((step) => [step.stepId, step.status, step.detail])).toEqual([
        ['delay', 'DONE', null],
        ['hours', 'DONE', 'else'],
        ['text_after', 'DONE', expect.stringMatching(/^sent /)],
        ['reply', 'DONE', 'replied'],
        ['tag_replied', 'DONE', 'replied'],
      ]);
    });
    // The follow-up was a step of the branch not taken: only the first text ever went out.
    expect(stack.twilio.messages().filter((m) => m.to === caller)).toHaveLength(1);
  });
  it('a tag given through GraphQL starts the automation listening for it, once per edit', async () => {
    const caller = '+15125550222';
    await stack.webhook('/twilio/voice/incoming', { CallSid: 'CA-e2e-vip', From: caller, To: BUSINESS_NUMBER, CallStatus: 'ringing' });
    await stack.webhook('/twilio/voice/dial-result', { CallSid: 'CA-e2e-vip', From: caller, To: BUSINESS_NUMBER, CallStatus: 'in-progress', DialCallStatus: 'no-answer' });
    await eventually(async () => expect(stack.twilio.messages().filter((m) => m.to === caller)).toHaveLength(1));
    const contact = await stack.graphql<{ subAccount: { contacts: { id: string }[] } }>(
      `query ($id: ID!, $phone: String!) { subAccount(id: $id) { contacts(first: 1, phone: $phone) { id } } }`,
      { id: subAccountId, phone: caller },
    );
    const tag = (tags: string[]) =>
      stack.graphql<{ updateContact: { __typename: string } }>(
        `mutation ($input: UpdateContactInput!) { updateContact(input: $input) { __typename } }`,
        { input: { subAccountId, contactId: contact.subAccount.contacts[0]!.id, addTags: tags } },
      );
    expect((await tag(['vip'])).updateContact.__typename).toBe('UpdateContactPayload');
    await eventually(async () => expect(stack.twilio.messages().filter((m) => m.to === caller).map((m) => m.body)).toContain('Welcome to the VIP list at Greenfield Plumbing!'));
    // Tagging again with a tag the contact has is no new event.
    await tag(['vip']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(stack.twilio.messages().filter((m) => m.to === caller && m.body.startsWith('Welcome'))).toHaveLength(1);
  });

  it('a text from a new contact starts the message.received automation, once however often Twilio repeats the webhook', async () => {
    const number = '+15125550130';
    const yaml = `apiVersion: mctb.dev/v2
kind: Snapshot
metadata: { slug: e2e-auto-reply, name: Auto-reply, version: 1 }
quietHours: "off"
templates:
  auto_reply: "Thanks for your text! {{ location.name }} will answer shortly."
workflows:
  - key: auto_reply
    trigger: { type: message.received }
    steps:
      - { id: reply, send_sms: auto_reply }
`;
    await onboard(stack, { name: 'Riverside Dental', timeZone: ZONE, twilioNumber: number, forwardingNumber: '+15125550198', snapshotYaml: yaml });
    const texter = '+15125550231';
    const inbound = { MessageSid: 'SM-e2e-first', From: texter, To: number, Body: 'Do you have anything Friday?' };
    const statuses = await Promise.all([1, 2, 3].map(async () => (await stack.webhook('/twilio/sms/incoming', inbound)).status));
    expect(statuses).toEqual([200, 200, 200]);
    await eventually(async () => expect(stack.twilio.messages().filter((m) => m.to === texter).map((m) => m.body)).toEqual(['Thanks for your text! Riverside Dental will answer shortly.']));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(stack.twilio.messages().filter((m) => m.to === texter)).toHaveLength(1);
  });
});
