import { HTTPException } from 'hono/http-exception';
import type { TwilioParams } from '@mctb/twilio-kit';

/**
 * Reading Twilio's webhook fields at the edge. A request that is not Twilio's shape (a required id
 * missing, repeated, too long or with control characters) is refused with a 400 naming the field.
 * Values Twilio may legitimately send oddly (a caller ID, a duration) are made safe instead, so
 * the caller is still served.
 */

const SID = /^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$/;
// C0 controls other than tab and newlines, DEL, and lone surrogates: PostgreSQL refuses NUL outright.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const FIELD_LIMITS = { address: 64, callerId: 64, body: 1600, status: 32, url: 2048, intent: 256 } as const;

function refuse(message: string): never {
  throw new HTTPException(400, { message });
}

/** The one value of a field, or undefined; a repeated field is not Twilio's shape. */
export function single(params: TwilioParams, name: string): string | undefined {
  const value = params[name];
  if (Array.isArray(value)) refuse(`${name} is given ${value.length} times; Twilio sends it once`);
  return value;
}

/** Required fields, each present once and non-blank; every missing one is named. */
export function requireFields<K extends string>(params: TwilioParams, ...names: K[]): Record<K, string> {
  const missing = names.filter((name) => (single(params, name) ?? '').trim() === '');
  if (missing.length > 0) refuse(`missing webhook field${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  return Object.fromEntries(names.map((name) => [name, params[name] as string])) as Record<K, string>;
}

/** A provider id (CallSid, MessageSid, ParentCallSid): letters, digits, - and _, at most 64. */
export function sid(name: string, value: string): string {
  if (!SID.test(value)) refuse(`${name} must be a provider id (letters, digits, - and _; at most 64 characters), got ${describe(value)}`);
  return value;
}

/** A short single-line value (a number we own, a status word): bounded, no control characters. */
export function token(name: string, value: string, max: number): string {
  if (value.length > max) refuse(`${name} is longer than ${max} characters`);
  if (hasUnsafe(value)) refuse(`${name} contains control characters`);
  return value;
}

/**
 * The caller ID for display and classification. Control characters, repeats or an overlong value
 * can't be a real number: they are kept visibly broken (so the caller ID classifies as invalid and
 * is never texted) rather than refusing the call.
 */
export function callerId(params: TwilioParams): string {
  const value = params.From;
  if (value === undefined) return '';
  const raw = Array.isArray(value) ? value.join(', ') : value;
  const cleaned = raw.replace(UNSAFE, '\uFFFD');
  return cleaned.length > FIELD_LIMITS.callerId ? `${cleaned.slice(0, FIELD_LIMITS.callerId)}…` : cleaned;
}

/** A message body: at most 1600 characters, control characters replaced (they can't be stored). */
export function messageBody(params: TwilioParams): string {
  const body = single(params, 'Body') ?? '';
  if (body.length > FIELD_LIMITS.body) refuse(`Body is longer than ${FIELD_LIMITS.body} characters`);
  return body.replace(UNSAFE, '\uFFFD');
}

/** A whole number of seconds, or null when absent or not a number. */
export function seconds(params: TwilioParams, name: string): number | null {
  const value = single(params, name);
  if (value === undefined || !/^\d{1,9}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** An https URL Twilio gave us (a recording), or null when absent or malformed. */
export function providerUrl(params: TwilioParams, name: string): string | null {
  const value = single(params, name);
  if (value === undefined || value.length > FIELD_LIMITS.url || hasUnsafe(value)) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

function hasUnsafe(value: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(value);
  UNSAFE.lastIndex = 0;
  return found;
}

function describe(value: string): string {
  if (value.length > 24) return `${value.length} characters`;
  return JSON.stringify(value.replace(UNSAFE, '\uFFFD'));
}
