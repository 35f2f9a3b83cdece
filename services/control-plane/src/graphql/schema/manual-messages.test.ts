import { issueApiKey, type AccountSetup } from '@mctb/control';
import { Contact } from '@mctb/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

let cp: ControlPlaneHarness;
let agency: AccountSetup;
let other: AccountSetup;
let contactId: string;
let optedOutId: string;

beforeAll(async () => {
  cp = await startControlPlane('control_plane_manual_messages');
  agency = await cp.seedAgency('Acme Agency', '+15125550170');
  other = await cp.seedAgency('Other Agency', '+15125550180');
  const em = cp.orm.em.fork();
  const { contact } = await em.getRepository(Contact).findOrCreateByPhone(agency.subAccountId, '+15125550171', 'missed_call');
  contact.firstName = 'Dana';
  const { contact: optedOut } = await em.getRepository(Contact).findOrCreateByPhone(agency.subAccountId, '+15125550172', 'missed_call');
  optedOut.optedOutAt = new Date();
  await em.flush();
  contactId = contact.id;
  optedOutId = optedOut.id;
});
afterAll(() => cp?.close());

const PREVIEW = `query ($sub: ID!, $template: String, $key: String, $contact: ID) {
  previewMessage(subAccountId: $sub, template: $template, templateKey: $key, contactId: $contact) {
    __typename
    ... on MessagePreview { body sampleContact encoding characters units segments nonGsmCharacters warnings }
    ... on ValidationError { issues { path message line column } }
    ... on NotFoundError { message }
    ... on ForbiddenError { message }
  }
}`;

async function preview(variables: Record<string, unknown>, token = agency.apiKey) {
  const response = await cp.graphql<{ previewMessage: Record<string, unknown> }>(token, PREVIEW, { sub: agency.subAccountId, ...variables });
  expect(response.errors).toBeUndefined();
  return response.data!.previewMessage;
}

describe('previewMessage', () => {
  it('renders inline Liquid for the sample contact with the sub-account name, number and custom values', async () => {
    expect(await preview({ template: 'Hi {{ contact.first_name }}, {{ location.name }} ({{ location.phone }}) here: {{ custom_values.booking_link }}' })).toEqual({
      __typename: 'MessagePreview',
      body: 'Hi Jamie, Acme Agency client (+15125550170) here: https://book.example/acme-agency',
      sampleContact: true,
      encoding: 'GSM_7',
      characters: 82,
      units: 82,
      segments: 1,
      nonGsmCharacters: [],
      warnings: [],
    });
  });

  it('renders for a chosen contact, and reports an emoji forcing UCS-2 over one segment', async () => {
    const result = await preview({ template: `Hi {{ contact.first_name }} 👋 ${'x'.repeat(64)}`, contact: contactId });
    expect(result).toMatchObject({ body: `Hi Dana 👋 ${'x'.repeat(64)}`, sampleContact: false, encoding: 'UCS_2', characters: 74, units: 75, segments: 2, nonGsmCharacters: ['👋'] });
    expect(result.warnings).toEqual([
      'UCS-2 encoding (70 characters per segment instead of 160) because of "👋" (U+1F44B)',
      'the message needs 2 SMS segments (75 UCS-2 units, over 70; 67 per part); each segment is billed as one text',
    ]);
  });

  it("renders a template key of the provisioned snapshot, with the sub-account's local edit applied", async () => {
    const before = await preview({ key: 'missed_call', contact: contactId });
    expect(before).toMatchObject({ __typename: 'MessagePreview', encoding: 'GSM_7', segments: 1 });
    expect(before.body).toBe('Hi Dana, sorry we missed your call at Acme Agency client! How can we help? Book a time: https://book.example/acme-agency - The team');

    const edited = await cp.graphql(agency.apiKey, `mutation { editLocalTemplate(subAccountId: "${agency.subAccountId}", key: "missed_call", body: "Sorry {{ contact.first_name }}! {{ custom_values.sign_off }}") { __typename } }`);
    expect(edited.errors).toBeUndefined();
    expect(await preview({ key: 'missed_call' })).toMatchObject({ body: 'Sorry Jamie! The team', sampleContact: true });
  });

  it('names the path of a template error: bad syntax and unknown fields inline, a missing key', async () => {
    expect(await preview({ template: 'Hi {{ contact.first_name' })).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: 'template', message: expect.any(String), line: 1, column: expect.any(Number) }],
    });
    const unknown = await preview({ template: 'Hi\n{{ contact.nickname }}' });
    expect(unknown).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'template', line: 2, message: expect.stringContaining('contact.nickname') }] });
    expect(await preview({ key: 'nope' })).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: 'templateKey', message: expect.stringContaining('"nope" is not a template of') }],
    });
    expect(await preview({})).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'template' }] });
    expect(await preview({ template: 'x', key: 'missed_call' })).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'templateKey' }] });
  });

  it("answers NotFoundError for another agency's sub-account or an unknown contact, ForbiddenError for a key of another sub-account", async () => {
    expect(await preview({ template: 'x' }, other.apiKey)).toMatchObject({ __typename: 'NotFoundError' });
    expect(await preview({ template: 'x', contact: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ __typename: 'NotFoundError', message: expect.stringContaining('contact') });
    const { token } = await issueApiKey(cp.orm.em.fork(), { agencyId: agency.agencyId, subAccountId: agency.subAccountId, name: 'client key' });
    expect(await preview({ template: 'Hi' }, token)).toMatchObject({ __typename: 'MessagePreview', body: 'Hi' });
    const { token: otherSubKey } = await issueApiKey(cp.orm.em.fork(), { agencyId: other.agencyId, subAccountId: other.subAccountId, name: 'other client key' });
    expect(await cp.graphql(otherSubKey, PREVIEW, { sub: agency.subAccountId, template: 'Hi' })).toMatchObject({
      data: { previewMessage: { __typename: 'ForbiddenError', message: expect.stringContaining('can only act on it') } },
    });
  });
});

const SEND_TEST = `mutation ($input: SendTestMessageInput!) { sendTestMessage(input: $input) {
  __typename
  ... on SentMessagePayload { status }
  ... on ValidationError { issues { path message } }
  ... on NotFoundError { message }
  ... on ForbiddenError { message }
} }`;

const SEND_REPLY = `mutation ($input: SendReplyInput!) { sendReply(input: $input) {
  __typename
  ... on SentMessagePayload { status }
  ... on ValidationError { issues { path message } }
  ... on NotFoundError { message }
  ... on ForbiddenError { message }
} }`;

describe('sendTestMessage and sendReply refuse before anything is sent', () => {
  const send = async (query: string, field: string, input: Record<string, unknown>, token = agency.apiKey) => {
    const response = await cp.graphql<Record<string, Record<string, unknown>>>(token, query, { input: { subAccountId: agency.subAccountId, idempotencyKey: 'key-1', ...input } });
    expect(response.errors).toBeUndefined();
    return response.data![field]!;
  };

  it('names a bad number, a bad idempotency key and a bad template together', async () => {
    expect(await send(SEND_TEST, 'sendTestMessage', { to: '5125550123', template: '{{ nope }}', idempotencyKey: 'has space' })).toEqual({
      __typename: 'ValidationError',
      issues: [
        { path: 'idempotencyKey', message: expect.stringContaining('letters, digits') },
        { path: 'to', message: 'must be an E.164 number, "+" then 8 to 15 digits, e.g. +15125550123' },
        { path: 'template', message: expect.stringContaining('nope') },
      ],
    });
  });

  it('refuses a recipient or contact who opted out', async () => {
    expect(await send(SEND_TEST, 'sendTestMessage', { to: '+15125550172', template: 'Hi' })).toEqual({
      __typename: 'ValidationError',
      issues: [{ path: 'to', message: '+15125550172 has opted out of texts (STOP); nothing is sent to them until they text START' }],
    });
    expect(await send(SEND_REPLY, 'sendReply', { contactId: optedOutId, body: 'Hi' })).toEqual({
      __typename: 'ValidationError',
      issues: [{ path: 'contactId', message: '+15125550172 has opted out of texts (STOP); nothing is sent to them until they text START' }],
    });
  });

  it('says a Temporal cluster is needed when the control plane has none', async () => {
    for (const [query, field, input] of [
      [SEND_TEST, 'sendTestMessage', { to: '+15125550123', templateKey: 'missed_call' }],
      [SEND_REPLY, 'sendReply', { contactId, body: 'On our way!' }],
    ] as const) {
      expect(await send(query, field, input)).toEqual({ __typename: 'ValidationError', issues: [{ path: '', message: expect.stringContaining('TEMPORAL_ADDRESS') }] });
    }
  });

  it('refuses an empty reply and a key of another sub-account', async () => {
    expect(await send(SEND_REPLY, 'sendReply', { contactId, body: '  ' })).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'body', message: 'is empty' }] });
    const { token } = await issueApiKey(cp.orm.em.fork(), { agencyId: other.agencyId, subAccountId: other.subAccountId, name: 'other client' });
    expect(await send(SEND_REPLY, 'sendReply', { contactId, body: 'Hi' }, token)).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await send(SEND_TEST, 'sendTestMessage', { to: '+15125550123', template: 'Hi' }, token)).toMatchObject({ __typename: 'ForbiddenError' });
  });
});
