import { parseTwilioForm, verifyTwilioRequest, type TwilioParams } from '@mctb/twilio-kit';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';

export type { TwilioParams } from '@mctb/twilio-kit';

export interface TwilioSignatureOptions {
  authToken: string;
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
    const params = parseTwilioForm(await c.req.text());
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
