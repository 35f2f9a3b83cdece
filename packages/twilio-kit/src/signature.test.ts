import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signTwilioRequest, verifyTwilioRequest } from './signature.js';

/** Independent implementation of Twilio's scheme: HMAC-SHA1(url + sorted name+value pairs), base64. */
function referenceSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

const token = 'f3a9c1d2e4b5a6978877665544332211';
const url = 'https://hooks.example.com/twilio/status?textId=tx_01HZX&attempt=2';
const params = {
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  MessageStatus: 'delivered',
  To: '+15551230000',
  From: '+15557654321',
  Body: 'Sorry we missed you — café opens at 8:00 & closes late!',
};

describe('signTwilioRequest', () => {
  it("matches the example in Twilio's request-validation documentation", () => {
    const documented = signTwilioRequest('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675309',
      Digits: '1234',
      From: '+14158675309',
      To: '+18005551212',
    });
    expect(documented).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('matches an independent HMAC-SHA1 computation, including non-ASCII values and a query string', () => {
    expect(signTwilioRequest(token, url, params)).toBe(referenceSignature(token, url, params));
  });

  it('does not depend on the order the parameters were given in', () => {
    const reversed = Object.fromEntries(Object.entries(params).reverse());
    expect(signTwilioRequest(token, url, reversed)).toBe(signTwilioRequest(token, url, params));
  });
});

describe('verifyTwilioRequest', () => {
  const signature = signTwilioRequest(token, url, params);

  it('accepts what was signed', () => {
    expect(verifyTwilioRequest(token, signature, url, params)).toBe(true);
  });

  it('rejects a tampered parameter, an added parameter, a dropped parameter', () => {
    expect(verifyTwilioRequest(token, signature, url, { ...params, MessageStatus: 'failed' })).toBe(false);
    expect(verifyTwilioRequest(token, signature, url, { ...params, ErrorCode: '30003' })).toBe(false);
    const { Body: _body, ...withoutBody } = params;
    expect(verifyTwilioRequest(token, signature, url, withoutBody)).toBe(false);
  });

  it('rejects another URL: other path, other query, other host', () => {
    expect(verifyTwilioRequest(token, signature, url.replace('/status', '/inbound'), params)).toBe(false);
    expect(verifyTwilioRequest(token, signature, url.replace('attempt=2', 'attempt=3'), params)).toBe(false);
    expect(verifyTwilioRequest(token, signature, url.replace('hooks.example.com', 'evil.example.com'), params)).toBe(
      false,
    );
  });

  it('rejects another auth token', () => {
    expect(verifyTwilioRequest(`${token}x`, signature, url, params)).toBe(false);
  });

  it('rejects a missing, empty or garbage signature, and an unparseable URL', () => {
    expect(verifyTwilioRequest(token, undefined, url, params)).toBe(false);
    expect(verifyTwilioRequest(token, '', url, params)).toBe(false);
    expect(verifyTwilioRequest(token, 'not-a-signature', url, params)).toBe(false);
    expect(verifyTwilioRequest(token, signature, 'not a url', params)).toBe(false);
  });

  it('accepts the URL with an explicit default port, as Twilio sometimes signs it that way', () => {
    const withPort = url.replace('hooks.example.com', 'hooks.example.com:443');
    expect(verifyTwilioRequest(token, signTwilioRequest(token, withPort, params), url, params)).toBe(true);
  });
});
