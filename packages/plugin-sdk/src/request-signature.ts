import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header our webhooks carry: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'X-Mctb-Signature';

/** A signature older (or further ahead) than this is refused: a captured request can't be replayed later. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new signing secret (the sub-account keeps the first one made). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The header value for a body sent at `timestampSeconds`. The timestamp is signed with the body. */
export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${digest(secret, timestampSeconds, body)}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

export interface VerifyOptions {
  secret: string;
  /** The X-Mctb-Signature header as received. */
  header: string | null | undefined;
  /** The raw request body, exactly as received (before any JSON parsing). */
  body: string;
  toleranceSeconds?: number;
  /** Epoch ms; defaults to the clock. */
  now?: number;
}

/**
 * What a receiver runs on our webhook: the body is what we signed (any change breaks the HMAC) and
 * was signed recently. Several v1 values are accepted, so a receiver can hold an old and a new secret.
 */
export function verifyWebhookSignature(options: VerifyOptions): SignatureCheck {
  const { header, body, secret } = options;
  if (!header) return { ok: false, reason: 'no signature header' };
  const parts = header.split(',').map((part) => part.trim().split('=', 2) as [string, string | undefined]);
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  const signatures = parts.filter(([key, value]) => key === 'v1' && value !== undefined).map(([, value]) => value!);
  if (!Number.isSafeInteger(timestamp) || signatures.length === 0) return { ok: false, reason: 'malformed signature header' };
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const age = Math.floor((options.now ?? Date.now()) / 1000) - timestamp;
  if (Math.abs(age) > tolerance) return { ok: false, reason: `the signature's timestamp is ${age}s away from now (more than ${tolerance}s)` };
  const expected = Buffer.from(digest(secret, timestamp, body), 'hex');
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'the signature does not match the body' };
}

function digest(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}
