import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeTwilioForm, parseTwilioForm, signTwilioRequest, verifyTwilioRequest } from './signature.js';

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

/**
 * twilio-node's published vectors for repeated parameters (spec/validation.spec.js): Twilio signs
 * a repeated name once per distinct value, values sorted. The bodies are parsed the way the gateway
 * parses a webhook, so this checks the whole path from raw form to verdict.
 */
describe('repeated parameters, as Twilio signs them', () => {
  const vectorToken = '12345';
  const vectorUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';

  it('keeps every value of a repeated name, in order', () => {
    expect(parseTwilioForm('From=%2B1&To=%2B2&From=%2B3')).toEqual({ From: ['+1', '+3'], To: '+2' });
    expect(parseTwilioForm(encodeTwilioForm({ A: ['x', 'y'], B: 'z' }))).toEqual({ A: ['x', 'y'], B: 'z' });
  });

  it.each([
    ['MessagingBinding.Address=%2B1325xxxxxxx&MessagingBinding.Address=%2B1415xxxxxxx', '83O6e2vORAoJHUNzJjDWN1jz+BA='],
    ['MessagingBinding.Address=%2B1415xxxxxxx&MessagingBinding.Address=%2B1325xxxxxxx', '83O6e2vORAoJHUNzJjDWN1jz+BA='],
    ['Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234&Digits=1234', 'IK+Dwps556ElfBT0I3Rgjkr1wJU='],
  ])('accepts %s with its published signature', (body, signature) => {
    expect(verifyTwilioRequest(vectorToken, signature, vectorUrl, parseTwilioForm(body))).toBe(true);
  });

  it('refuses a repeated parameter signed over its last value alone', () => {
    const body = 'CallSid=CA1&From=%2B15125550101&From=%2B15125550102&To=%2B15125550100';
    const lastOnly = signTwilioRequest(vectorToken, vectorUrl, Object.fromEntries(new URLSearchParams(body)));
    expect(verifyTwilioRequest(vectorToken, lastOnly, vectorUrl, parseTwilioForm(body))).toBe(false);
    const everyValue = signTwilioRequest(vectorToken, vectorUrl, parseTwilioForm(body));
    expect(verifyTwilioRequest(vectorToken, everyValue, vectorUrl, parseTwilioForm(body))).toBe(true);
  });
});
