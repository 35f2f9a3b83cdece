import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioClient } from './client.js';
import { isTwilioRestError } from './errors.js';

const accountSid = `AC${'a1'.repeat(16)}`;
const authToken = 'secret-token';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

/** A tiny HTTP server standing in for Twilio; each test decides how it answers. */
let server: Server;
let origin: string;
let seen: Seen[] = [];
let answer: (req: IncomingMessage, res: ServerResponse) => void;

const messageJson = (sid: string) =>
  JSON.stringify({ sid, account_sid: accountSid, to: '+15551230000', from: '+15557654321', status: 'queued' });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  answer = (_req, res) => {
    res.writeHead(201, { 'content-type': 'application/json' }).end(messageJson(`SM${'0'.repeat(32)}`));
  };
});

describe('createTwilioClient with apiBaseUrl', () => {
  it('sends a message create to the base URL, with Basic auth and the form Twilio expects', async () => {
    const client = createTwilioClient({ accountSid, authToken, apiBaseUrl: origin });
    const message = await client.messages.create({
      to: '+15551230000',
      from: '+15557654321',
      body: 'Sorry we missed your call!',
      statusCallback: 'https://hooks.example.com/status?textId=tx_1',
    });

    expect(message.sid).toBe(`SM${'0'.repeat(32)}`);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(request?.authorization).toBe(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      To: '+15551230000',
      From: '+15557654321',
      Body: 'Sorry we missed your call!',
      StatusCallback: 'https://hooks.example.com/status?textId=tx_1',
    });
  });

  it('keeps the query string and puts a base path in front of the Twilio path', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ messages: [], page: 0, page_size: 50, next_page_uri: null, uri: '/x' }),
      );
    };
    const client = createTwilioClient({ accountSid, authToken, apiBaseUrl: `${origin}/compat/` });
    await client.messages.list({ to: '+15551230000', dateSentAfter: new Date('2024-05-01T10:00:00Z') });

    const url = new URL(seen[0]?.url ?? '', origin);
    expect(url.pathname).toBe(`/compat/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(url.searchParams.get('To')).toBe('+15551230000');
    expect(url.searchParams.get('DateSent>')).toBe('2024-05-01T10:00:00Z');
  });

  it('keeps the query of next-page URLs, which the SDK builds on https://api.twilio.com', async () => {
    const listPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
    answer = (req, res) => {
      const onFirstPage = !req.url?.includes('Page=1');
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          messages: [{ sid: onFirstPage ? 'SM1' : 'SM2', account_sid: accountSid }],
          page: onFirstPage ? 0 : 1,
          page_size: 1,
          next_page_uri: onFirstPage ? `${listPath}?To=%2B15551230000&PageSize=1&Page=1` : null,
          uri: listPath,
        }),
      );
    };
    const client = createTwilioClient({ accountSid, authToken, apiBaseUrl: origin });
    const messages = await client.messages.list({ to: '+15551230000', pageSize: 1 });

    expect(messages.map((m) => m.sid)).toEqual(['SM1', 'SM2']);
    expect(seen[1]?.url).toBe(`${listPath}?To=%2B15551230000&PageSize=1&Page=1`);
  });

  it("surfaces Twilio's error body as a REST error with status and code", async () => {
    answer = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          code: 21211,
          message: "Invalid 'To' Phone Number: 555",
          more_info: 'https://www.twilio.com/docs/errors/21211',
          status: 400,
        }),
      );
    };
    const client = createTwilioClient({ accountSid, authToken, apiBaseUrl: origin });
    const error: unknown = await client.messages.create({ to: '555', from: '+15557654321', body: 'x' }).catch((e) => e);

    expect(isTwilioRestError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, code: 21211, moreInfo: 'https://www.twilio.com/docs/errors/21211' });
  });

  it('also recognises the RFC 9457 error bodies of newer Twilio APIs', async () => {
    answer = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/problem+json' }).end(
        JSON.stringify({ type: 'https://www.twilio.com/docs/errors/21211', title: 'Invalid To', status: 400, code: 21211 }),
      );
    };
    const client = createTwilioClient({ accountSid, authToken, apiBaseUrl: origin });
    const error: unknown = await client.messages.create({ to: '555', from: '+15557654321', body: 'x' }).catch((e) => e);

    expect(isTwilioRestError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, code: 21211 });
  });

  it('does not call an error page without a Twilio error body a REST error', async () => {
    answer = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>');
    };
    const client = createTwilioClient({ accountSid, authToken, apiBaseUrl: origin });
    const error: unknown = await client.messages.create({ to: '+15551230000', from: '+15557654321', body: 'x' }).catch(
      (e) => e,
    );

    expect(error).toBeInstanceOf(Error);
    expect(isTwilioRestError(error)).toBe(false);
  });

  it('gives up on a request that gets no answer after timeoutMs', async () => {
    answer = () => {
      /* never answer */
    };
    const client = createTwilioClient({ accountSid, authToken, apiBaseUrl: origin, timeoutMs: 300 });
    const started = Date.now();
    const error: unknown = await client.messages.create({ to: '+15551230000', from: '+15557654321', body: 'x' }).catch(
      (e) => e,
    );

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toMatch(/timeout/i);
    expect(isTwilioRestError(error)).toBe(false);
  });

  it('refuses a base URL that is not a plain http(s) origin', () => {
    for (const apiBaseUrl of ['not a url', 'ftp://127.0.0.1', 'http://127.0.0.1:1/?x=1', 'http://u:p@127.0.0.1']) {
      expect(() => createTwilioClient({ accountSid, authToken, apiBaseUrl })).toThrow(/apiBaseUrl/);
    }
  });

  it('refuses a timeout that is not a positive number', () => {
    expect(() => createTwilioClient({ accountSid, authToken, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
