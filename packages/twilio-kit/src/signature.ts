import { timingSafeEqual } from 'node:crypto';
import twilio from 'twilio';

/**
 * Webhook parameters as Twilio posts them: a name may repeat (e.g. `MessagingBinding.Address`), and
 * then its value is every value given, in the order given.
 */
export type TwilioParams = Record<string, string | string[]>;

/** Reads an x-www-form-urlencoded body, keeping every value of a repeated name. */
export function parseTwilioForm(body: string): TwilioParams {
  const params: TwilioParams = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = params[name];
    if (seen === undefined) params[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else params[name] = [seen, value];
  }
  return params;
}

/** Encodes parameters as a form body, a repeated name once per value (what parseTwilioForm reads). */
export function encodeTwilioForm(params: TwilioParams): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : [value]) form.append(name, one);
  }
  return form.toString();
}

/**
 * The X-Twilio-Signature Twilio puts on a webhook: HMAC-SHA1 (keyed with the auth token) over the
 * full URL followed by every POST parameter as name+value in name order (a repeated name once per
 * distinct value, values sorted), base64. Computed by the SDK's own helper so it never drifts.
 */
export function signTwilioRequest(authToken: string, url: string, params: TwilioParams): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

/**
 * Whether `signature` is what Twilio would send for this URL and parameters. Uses the SDK's
 * validator (constant-time comparison; it also accepts the URL with or without an explicit default
 * port, as Twilio itself is inconsistent there). A missing or empty signature, or a URL that does
 * not parse, is simply invalid.
 */
export function verifyTwilioRequest(authToken: string, signature: string | undefined, url: string, params: TwilioParams): boolean {
  if (!signature) return false;
  // The URL exactly as configured is what Twilio signs almost always: one HMAC settles it.
  const expected = Buffer.from(signTwilioRequest(authToken, url, params));
  const given = Buffer.from(signature);
  if (expected.length === given.length && timingSafeEqual(expected, given)) return true;
  try {
    return twilio.validateRequest(authToken, signature, url, params);
  } catch {
    return false;
  }
}
