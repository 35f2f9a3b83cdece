import { verifyTwilioRequest } from '@mctb/twilio-kit';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';

export interface TwilioSignatureOptions {
  authToken: string;
  /** The gateway's public base URL, as Twilio calls it (no trailing slash). */
  publicUrl: string;
  /** Refuse webhooks for other accounts when set. */
  accountSid?: string;
}

export type TwilioParams = Record<string, string>;

/**
 * Checks X-Twilio-Signature over the public URL and the form body before anything else runs,
 * so a forged or altered request is refused (403) with nothing stored.
 */
export function twilioSignature(options: TwilioSignatureOptions) {
  return createMiddleware<{ Variables: { twilioParams: TwilioParams } }>(async (c, next) => {
    const contentType = c.req.header('content-type') ?? '';
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      throw new HTTPException(415, { message: 'Twilio webhooks must be application/x-www-form-urlencoded' });
    }
    const params: TwilioParams = Object.fromEntries(new URLSearchParams(await c.req.text()));
    const { pathname, search } = new URL(c.req.url);
    const signedUrl = `${options.publicUrl}${pathname}${search}`;
    if (!verifyTwilioRequest(options.authToken, c.req.header('x-twilio-signature'), signedUrl, params)) {
      throw new HTTPException(403, { message: `invalid X-Twilio-Signature for ${signedUrl}` });
    }
    if (options.accountSid && params.AccountSid !== options.accountSid) {
      throw new HTTPException(403, { message: `webhook for account ${params.AccountSid ?? '(none)'} is not ours` });
    }
    c.set('twilioParams', params);
    await next();
  });
}
