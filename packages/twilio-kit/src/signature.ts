import twilio from 'twilio';

/**
 * The X-Twilio-Signature Twilio puts on a webhook: HMAC-SHA1 (keyed with the auth token) over the
 * full URL followed by every POST parameter as name+value in name order, base64. Computed by the
 * SDK's own helper so it can never drift from what Twilio sends.
 */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

/**
 * Whether `signature` is what Twilio would send for this URL and parameters. Uses the SDK's
 * validator (constant-time comparison; it also accepts the URL with or without an explicit default
 * port, as Twilio itself is inconsistent there). A missing or empty signature, or a URL that does
 * not parse, is simply invalid.
 */
export function verifyTwilioRequest(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string>,
): boolean {
  if (!signature) return false;
  try {
    return twilio.validateRequest(authToken, signature, url, params);
  } catch {
    return false;
  }
}
