import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signing for plugin webhooks: hex HMAC-SHA256 over "<unix seconds>.<raw body>". The timestamp
 * is inside the signature so a captured request can't be replayed later.
 */
export function signPayload(secret: string, timestampSeconds: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex');
}

export function verifySignedPayload(options: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  now: Date;
  toleranceSeconds?: number;
}): boolean {
  const { timestamp, signature } = options;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const age = Math.abs(options.now.getTime() / 1000 - Number(timestamp));
  if (age > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signPayload(options.secret, Number(timestamp), options.rawBody), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
