import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeTwilioApp } from './app.js';
import { FakeTwilioState } from './state.js';

const accountSid = `AC${'7'.repeat(32)}`;
const authToken = 'fake-auth-token';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const messagesUrl = `/2010-04-01/Accounts/${accountSid}/Messages.json`;

let state: FakeTwilioState;
let app: ReturnType<typeof createFakeTwilioApp>;

beforeEach(() => {
  state = new FakeTwilioState();
  app = createFakeTwilioApp(state, { accountSid, authToken });
});

function create(form: Record<string, string>, authorization = basic(accountSid, authToken)) {
  return app.request(messagesUrl, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

const get = (path: string) => app.request(path, { headers: { authorization: basic(accountSid, authToken) } });

const valid = { To: '+15551230000', From: '+15557654321', Body: 'Sorry we missed your call!' };
const RFC_2822 = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

describe('POST Messages.json', () => {
  it("answers 201 with a Message resource shaped like Twilio's", async () => {
    const response = await create({ ...valid, StatusCallback: 'https://hooks.example.com/s?id=1' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    const sid = body.sid as string;
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(body).toMatchObject({
      account_sid: accountSid,
      api_version: '2010-04-01',
      body: valid.Body,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: valid.From,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      status: 'queued',
      to: valid.To,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      // Twilio has not dispatched it yet when it answers the create.
      date_sent: null,
    });
    expect(body.date_created).toMatch(RFC_2822);
    expect(body.date_updated).toMatch(RFC_2822);
    expect(state.messages()).toMatchObject([{ sid, statusCallback: 'https://hooks.example.com/s?id=1' }]);

    const fetched = (await (await get(`/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`)).json()) as {
      date_sent: string;
    };
    expect(fetched.date_sent).toMatch(RFC_2822);
  });

  it('counts segments like a handset: GSM-7 160/153, extension characters double, UCS-2 70/67', async () => {
    const segments = async (Body: string) =>
      ((await (await create({ ...valid, Body })).json()) as { num_segments: string }).num_segments;
    expect(await segments('a'.repeat(160))).toBe('1');
    expect(await segments('a'.repeat(161))).toBe('2');
    expect(await segments('€'.repeat(80))).toBe('1');
    expect(await segments('€'.repeat(81))).toBe('2');
    expect(await segments('ü'.repeat(160))).toBe('1');
    expect(await segments('ł'.repeat(70))).toBe('1');
    expect(await segments('ł'.repeat(71))).toBe('2');
    expect(await segments('😀'.repeat(35))).toBe('1');
    expect(await segments('😀'.repeat(36))).toBe('2');
  });

  it('through a Messaging Service without From: accepted, sender not picked yet', async () => {
    const service = `MG${'1'.repeat(32)}`;
    const response = await create({ To: valid.To, Body: 'hi', MessagingServiceSid: service });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      status: 'accepted',
      from: null,
      messaging_service_sid: service,
      num_segments: '0',
    });
  });

  it.each([
    [{ ...valid, To: '' }, 21604, "A 'To' phone number is required."],
    [{ ...valid, To: '555-1234' }, 21211, "Invalid 'To' Phone Number: 555-1234"],
    [{ ...valid, From: '' }, 21603, "A 'From' phone number is required."],
    [{ ...valid, Body: '' }, 21602, 'Message body is required.'],
    [{ ...valid, Body: 'x'.repeat(1601) }, 21617, 'The concatenated message body exceeds the 1600 character limit.'],
    [{ ...valid, StatusCallback: 'not a url' }, 21609, 'Invalid StatusCallback url: not a url'],
  ])('refuses %j with Twilio error %i', async (form, code, message) => {
    const response = await create(form);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code,
      message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status: 400,
    });
    expect(state.messages()).toEqual([]);
    expect(state.requests()).toEqual([{ method: 'POST', path: messagesUrl, form }]);
  });

  it('refuses an unsubscribed recipient (21610) and a From that cannot send SMS (21606)', async () => {
    state.optOut(valid.To);
    expect(await (await create(valid)).json()).toMatchObject({ status: 400, code: 21610 });
    state.optIn(valid.To);

    state.setSmsCapableNumbers(['+15550000001']);
    expect(await (await create(valid)).json()).toMatchObject({
      status: 400,
      code: 21606,
      message: `The From phone number ${valid.From} is not a valid, SMS-capable inbound phone number or short code for your account.`,
    });
    expect((await create({ ...valid, From: '+15550000001' })).status).toBe(201);
  });

  it('answers 401 with error 20003 for wrong credentials, and still records the request', async () => {
    for (const authorization of [basic(accountSid, 'wrong'), basic(`AC${'8'.repeat(32)}`, authToken), '']) {
      const response = await create(valid, authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(await response.json()).toMatchObject({ code: 20003, status: 401, message: 'Authenticate' });
    }
    expect(state.messages()).toEqual([]);
    expect(state.requests()).toHaveLength(3);
  });

  it("answers 404 for another account's path", async () => {
    const other = `/2010-04-01/Accounts/AC${'8'.repeat(32)}/Messages.json`;
    const response = await app.request(other, {
      method: 'POST',
      headers: { authorization: basic(accountSid, authToken) },
      body: new URLSearchParams(valid).toString(),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 20404 });
  });
});

describe('GET Messages', () => {
  it('answers 404 with error 20404 for an unknown message and an unknown route', async () => {
    const unknown = `/2010-04-01/Accounts/${accountSid}/Messages/SM${'0'.repeat(32)}.json`;
    const response = await get(unknown);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      code: 20404,
      message: `The requested resource ${unknown} was not found`,
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    });
    expect((await get(`/2010-04-01/Accounts/${accountSid}/Recordings.json`)).status).toBe(404);
  });

  it('filters by To, From and DateSent as Twilio writes it (DateSent>=YYYY-MM-DD is the key "DateSent>")', async () => {
    await create(valid);
    await create({ ...valid, To: '+15559990000' });
    await create({ ...valid, From: '+15550000001' });
    const today = state.messages()[0]?.dateSent?.toISOString().slice(0, 10) ?? 'missing';
    const list = async (query: string) =>
      ((await (await get(`${messagesUrl}?${query}`)).json()) as { messages: { to: string; from: string }[] }).messages;

    expect(await list(`To=${encodeURIComponent(valid.To)}`)).toHaveLength(2);
    expect(await list(`To=${encodeURIComponent(valid.To)}&From=${encodeURIComponent(valid.From)}`)).toHaveLength(1);
    expect(await list(`DateSent>=${today}`)).toHaveLength(3);
    expect(await list(`DateSent<=${today}`)).toHaveLength(3);
    expect(await list(`DateSent=${today}`)).toHaveLength(3);
    expect(await list('DateSent>=2999-01-01')).toHaveLength(0);
    expect(await list('DateSent<=2000-01-01')).toHaveLength(0);
    expect(await list(`DateSent%3E=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toHaveLength(
      0,
    );
    expect((await get(`${messagesUrl}?DateSent%3E=yesterday`)).status).toBe(400);
  });

  it("pages newest first in Twilio's envelope", async () => {
    for (const n of [1, 2, 3]) await create({ ...valid, Body: `text ${n}` });
    const page0 = (await (await get(`${messagesUrl}?PageSize=2`)).json()) as Record<string, unknown>;
    expect(page0).toMatchObject({
      page: 0,
      page_size: 2,
      start: 0,
      end: 1,
      previous_page_uri: null,
      first_page_uri: `${messagesUrl}?PageSize=2&Page=0`,
      uri: `${messagesUrl}?PageSize=2&Page=0`,
      next_page_uri: `${messagesUrl}?PageSize=2&Page=1`,
    });
    expect((page0.messages as { body: string }[]).map((m) => m.body)).toEqual(['text 3', 'text 2']);

    const page1 = (await (await get(page0.next_page_uri as string)).json()) as Record<string, unknown>;
    expect(page1).toMatchObject({ page: 1, start: 2, next_page_uri: null });
    expect((page1.messages as { body: string }[]).map((m) => m.body)).toEqual(['text 1']);
  });
});
