import { createRequire } from 'node:module';
import twilio from 'twilio';

// The SDK does not export its RFC 9457 error class from the package root. It is a CommonJS module
// with `exports.default`, which ESM interop treats differently in Node and in Vite; require() is the
// same everywhere.
type ServiceExceptionClass = new (response: unknown) => Error & { status: unknown; code: unknown };
const TwilioServiceException = (
  createRequire(import.meta.url)('twilio/lib/base/TwilioServiceException.js') as { default: ServiceExceptionClass }
).default;

/** What the SDK throws when Twilio answered with an error status and a Twilio error body. */
export interface TwilioRestError {
  /** HTTP status of Twilio's answer (400, 401, 404, 429, 500, ...). */
  status: number;
  /** Twilio error code, e.g. 21211 invalid To, 21610 unsubscribed recipient. */
  code: number;
  message: string;
  /** Link to Twilio's page for the code. */
  moreInfo?: string;
}

/**
 * True when `e` is the SDK's RestException (or its RFC 9457 variant, TwilioServiceException) carrying
 * a numeric HTTP status and Twilio error code: Twilio answered with an error. A 4xx means the request
 * was refused; a 5xx does not prove nothing happened (Twilio may have accepted the message before
 * failing). Anything else (timeout, reset connection, an error page without a Twilio error body) is
 * false: the outcome is unknown.
 */
export function isTwilioRestError(e: unknown): e is TwilioRestError {
  if (!(e instanceof twilio.RestException || e instanceof TwilioServiceException)) return false;
  return typeof e.status === 'number' && typeof e.code === 'number';
}
