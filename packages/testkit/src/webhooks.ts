import { randomUUID } from 'node:crypto';
import { signTwilioRequest } from '@mctb/twilio-kit';

export interface TwilioWebhookOptions {
  /** Auth token the X-Twilio-Signature is computed with. */
  authToken: string;
  /** URL to sign when it differs from where the request goes (e.g. the public URL behind a proxy). */
  signatureUrl?: string;
  /** Sent instead of the computed signature, for bad-signature tests. */
  signature?: string;
  /** I-Twilio-Idempotency-Token to send; random per call by default (a redelivery reuses it). */
  idempotencyToken?: string;
}

/**
 * POSTs a webhook the way Twilio does: form-encoded parameters, X-Twilio-Signature over the URL and
 * the parameters, and the idempotency token Twilio uses for redeliveries.
 */
export function postTwilioWebhook(
  url: string,
  params: Record<string, string>,
  options: TwilioWebhookOptions,
): Promise<Response> {
  const signature = options.signature ?? signTwilioRequest(options.authToken, options.signatureUrl ?? url, params);
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': signature,
      'I-Twilio-Idempotency-Token': options.idempotencyToken ?? randomUUID(),
      'User-Agent': 'TwilioProxy/1.1',
      Accept: '*/*',
    },
    body: new URLSearchParams(params).toString(),
  });
}
