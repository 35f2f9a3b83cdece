import { parseTwilioForm, verifyTwilioRequest, type TwilioParams } from '@mctb/twilio-kit';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';

export type { TwilioParams } from '@mctb/twilio-kit';

export interface TwilioSignatureOptions {
  authToken: string;
  /** Largest body read, in bytes; a larger one is refused (413) before it is read whole. */
  maxBodyBytes: number;
  /** The gateway's public base URL, as Twilio calls it (no trailing slash). */
  publicUrl: string;
  /** Refuse webhooks for other accounts when set. */
  accountSid?: string;
}

/**
 * Checks X-Twilio-Signature over the public URL and the form body before anything else runs,
 * so a forged or altered request is refused (403) with nothing stored. A repeated parameter is
 * verified the way Twilio signs it: every value, sorted.
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
    if (!verifyTwilioRequest(options.authToken, c.req.header('x-twilio-signature'), signedUrl, params)) {
      throw new HTTPException(403, { message: `invalid X-Twilio-Signature for ${options.publicUrl}${pathname}` });
    }
    if (options.accountSid && params.AccountSid !== options.accountSid) {
      throw new HTTPException(403, { message: 'the webhook is for another Twilio account' });
    }
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
