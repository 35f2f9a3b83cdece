import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboard } from './provision.js';
import { eventually, startStack, type Stack } from './stack.js';

const BUSINESS_NUMBER = '+15125550130';

// The text-back waits 30 s, so a team reply has time to come first.
const SNAPSHOT = `apiVersion: mctb.dev/v2
kind: Snapshot
metadata: { slug: e2e-team-reply, name: Text back after half a minute, version: 1 }
customValues:
  - { key: booking_link, name: Booking link, required: true }
quietHours: "off"
templates:
  first_text: "Sorry we missed you at {{ location.name }}, {{ contact.first_name | default: 'there' }}! Book: {{ custom_values.booking_link }}"
workflows:
  - key: missed_call
    trigger: { type: call.missed, outcomes: [no_answer, voicemail] }
    dedup: { per: contact, window: 24h }
    steps:
      - { id: delay, wait: 30s }
      - { id: text, send_sms: first_text }
`;

interface SentPayload {
  __typename: string;
  status?: string;
  reason?: string | null;
  body?: string;
  encoding?: string;
  units?: number;
  segments?: number;
  warnings?: string[];
  sentMessage?: { id: string; status: string; direction: string; to: string; body: string } | null;
  issues?: { path: string; message: string }[];
}

const PAYLOAD = `__typename
  ... on SentMessagePayload { status reason body encoding units segments warnings sentMessage { id status direction to body } }
  ... on ValidationError { issues { path message } }
  ... on NotFoundError { message }
  ... on ForbiddenError { message }`;

describe('a test message and a team reply go out exactly once on the real stack (separate processes)', () => {
  let stack: Stack;
  let subAccountId: string;

  beforeAll(async () => {
    stack = await startStack();
    subAccountId = await onboard(stack, {
      name: 'Greenfield Plumbing',
      timeZone: 'America/Chicago',
      twilioNumber: BUSINESS_NUMBER,
      forwardingNumber: '+15125550199',
      snapshotYaml: SNAPSHOT,
      customValues: { booking_link: 'https://book.example/greenfield' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const textedTo = (number: string) => stack.twilio.messages().filter((m) => m.to === number);

  const sendTest = async (input: Record<string, unknown>) =>
    (await stack.graphql<{ sendTestMessage: SentPayload }>(`mutation ($input: SendTestMessageInput!) { sendTestMessage(input: $input) { ${PAYLOAD} } }`, { input: { subAccountId, ...input } }))
      .sendTestMessage;
  const sendReply = async (input: Record<string, unknown>) =>
    (await stack.graphql<{ sendReply: SentPayload }>(`mutation ($input: SendReplyInput!) { sendReply(input: $input) { ${PAYLOAD} } }`, { input: { subAccountId, ...input } })).sendReply;

  it('sends a test message once, however often the same request is posted', async () => {
    const to = '+15125550311';
    const input = { to, templateKey: 'first_text', idempotencyKey: 'test-7f3c2a' };
    // Twice at once, then once more after it went out.
    const [first, second] = await Promise.all([sendTest(input), sendTest(input)]);
    const third = await sendTest(input);
    const body = 'Sorry we missed you at Greenfield Plumbing, Jamie! Book: https://book.example/greenfield';
    for (const payload of [first, second, third]) {
      expect(payload).toMatchObject({ __typename: 'SentMessagePayload', status: 'SENT', reason: null, body, encoding: 'GSM_7', segments: 1, warnings: [] });
      expect(payload.sentMessage).toMatchObject({ id: first.sentMessage!.id, direction: 'OUTBOUND', to, body });
    }
    const texts = textedTo(to);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ from: BUSINESS_NUMBER, body });

    // A fresh key is a new message; a bad number is refused before anything is sent.
    expect(await sendTest({ to, template: 'Second try ✅', idempotencyKey: 'test-8a1b' })).toMatchObject({ status: 'SENT', encoding: 'UCS_2', body: 'Second try ✅' });
    expect(await sendTest({ to: '+1512', template: 'x', idempotencyKey: 'test-9' })).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'to' }] });
    expect(textedTo(to)).toHaveLength(2);
  });

  it("a team reply during the text-back's delay cancels it: the caller gets only the reply", async () => {
    const caller = '+15125550312';
    const callSid = 'CA-e2e-team-reply';
    await stack.webhook('/twilio/voice/incoming', { CallSid: callSid, From: caller, To: BUSINESS_NUMBER, CallStatus: 'ringing' });
    await stack.webhook('/twilio/voice/dial-result', { CallSid: callSid, From: caller, To: BUSINESS_NUMBER, CallStatus: 'in-progress', DialCallStatus: 'no-answer' });

    const contactOf = async () =>
      (
        await stack.graphql<{ subAccount: { contacts: { id: string; runs: { status: string; currentStep: string | null; reason: string | null }[] }[] } }>(
          `query ($id: ID!, $phone: String!) { subAccount(id: $id) { contacts(first: 1, phone: $phone) { id runs { status currentStep reason } } } }`,
          { id: subAccountId, phone: caller },
        )
      ).subAccount.contacts[0];
    // The run is waiting out its 30 s delay.
    await eventually(async () => expect((await contactOf())?.runs[0]).toMatchObject({ status: 'RUNNING', currentStep: 'delay' }));
    const contactId = (await contactOf())!.id;

    const reply = 'Hi, Sam from Greenfield here. Calling you back in 5 minutes!';
    const input = { contactId, body: reply, idempotencyKey: 'reply-2c9e' };
    const sent = await sendReply(input);
    expect(sent).toMatchObject({ __typename: 'SentMessagePayload', status: 'SENT', body: reply, encoding: 'GSM_7', segments: 1, sentMessage: { direction: 'OUTBOUND', to: caller, body: reply } });
    // Posted again: nothing more is sent.
    expect(await sendReply(input)).toMatchObject({ status: 'SENT', sentMessage: { id: sent.sentMessage!.id } });
    // The same key with other words is refused rather than ignored.
    expect(await sendReply({ ...input, body: 'Something else' })).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'idempotencyKey' }] });

    await eventually(async () => {
      const { calls } = (
        await stack.graphql<{ subAccount: { calls: { callSid: string; textBackStatus: string | null; textBackReason: string | null }[] } }>(
          `query ($id: ID!) { subAccount(id: $id) { calls(first: 20) { callSid textBackStatus textBackReason } } }`,
          { id: subAccountId },
        )
      ).subAccount;
      expect(calls.find((call) => call.callSid === callSid)).toMatchObject({ textBackStatus: 'SKIPPED', textBackReason: expect.stringContaining('a team member replied') });
    });
    expect((await contactOf())!.runs[0]).toMatchObject({ status: 'STOPPED', reason: expect.stringContaining('a team member replied') });
    const texts = textedTo(caller);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ from: BUSINESS_NUMBER, body: reply });

    // With no run left to stop, a later reply simply goes out.
    expect(await sendReply({ contactId, body: 'See you at 3 {^_^}', idempotencyKey: 'reply-3d0f' })).toMatchObject({ status: 'SENT', encoding: 'GSM_7', units: 22 });
    expect(textedTo(caller).map((text) => text.body)).toEqual([reply, 'See you at 3 {^_^}']);
  });
});
