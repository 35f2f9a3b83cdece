import type { WebhookSigners } from '@mctb/telephony';
import { parseTwilioForm, verifyTwilioRequest, type TwilioParams } from '@mctb/twilio-kit';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';

export type { TwilioParams } from '@mctb/twilio-kit';

export interface TwilioSignatureOptions {
  /** Whose token must have signed each webhook: the account holding the number it is about. */
  signers: WebhookSigners;
  /** Largest body read, in bytes; a larger one is refused (413) before it is read whole. */
  maxBodyBytes: number;
  /** The gateway's public base URL, as Twilio calls it (no trailing slash). */
  publicUrl: string;
}

/** The number of ours a webhook is about: the sender of a text we sent (delivery report), else the number called or texted. */
function numberOf(pathname: string, params: TwilioParams): string | undefined {
  const value = params[pathname.endsWith('/sms/status') ? 'From' : 'To'];
  // Only something shaped like an address is looked up; the route refuses the rest with a 400 naming it.
  return typeof value === 'string' && /^[\x21-\x7e]{1,64}$/.test(value) ? value : undefined;
}

/**
 * Checks X-Twilio-Signature over the public URL and the form body before anything else runs,
 * so a forged or altered request is refused (403) with nothing stored. A repeated parameter is
 * verified the way Twilio signs it: every value, sorted. The token is that of the Twilio account
 * holding the number the webhook is about, and the AccountSid it names must be that account: a
 * webhook signed by another agency's account is refused. When the token can't be looked up
 * (PostgreSQL down, nothing cached) the answer is 503, so Twilio's fallback applies.
 */
export function twilioSignature(options: TwilioSignatureOptions) {
  return createMiddleware<{ Variables: { twilioParams: TwilioParams } }>(async (c, next) => {
    const contentType = c.req.header('content-type') ?? '';
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      throw new HTTPException(415, { message: 'Twilio webhooks must be application/x-www-form-urlencoded' });
    }
    const params = parseTwilioForm(await readBody(c.req.raw, c.req.header('content-length'), options.maxBodyBytes));
    const { pathname, search } = new URL(c.req.url);
    const signedUrl = `${options.publicUrl}${pathname}${search}`;
    const signature = c.req.header('x-twilio-signature');
    const accountSid = typeof params.AccountSid === 'string' ? params.AccountSid : undefined;
    const number = numberOf(pathname, params);
    const signer = await options.signers.expected(accountSid, number);
    if (signer.kind === 'unavailable') throw new HTTPException(503, { message: 'the signature cannot be checked right now; retry' });
    if (signer.kind === 'refused') throw new HTTPException(403, { message: `${signer.reason}: webhook refused` });
    let valid = verifyTwilioRequest(signer.authToken, signature, signedUrl, params);
    if (!valid && signer.accountSid !== null) {
      // The account's token may have just been rotated: read it again once.
      const again = await options.signers.expected(accountSid, number, true);
      valid = again.kind === 'token' && again.authToken !== signer.authToken && verifyTwilioRequest(again.authToken, signature, signedUrl, params);
    }
    if (!valid) throw new HTTPException(403, { message: `invalid X-Twilio-Signature for ${options.publicUrl}${pathname}` });
    c.set('twilioParams', params);
    await next();
  });
}

/**
 * The body as text, refusing one over `max` bytes: by its Content-Length before reading anything
 * (Twilio always sends one), else while reading, so a huge chunked body is never read whole.
 */
async function readBody(request: Request, contentLength: string | undefined, max: number): Promise<string> {
  const tooLarge = () => new HTTPException(413, { message: `request body is larger than ${max} bytes` });
  if (contentLength !== undefined && /^\d+$/.test(contentLength)) {
    if (Number(contentLength) > max) throw tooLarge();
    return request.text();
  }
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
