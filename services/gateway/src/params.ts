import { HTTPException } from 'hono/http-exception';
import type { TwilioParams } from './middleware/twilio-signature/index.js';

/** Reads required webhook fields; a missing one is a 400 that names every missing field. */
export function requireParams<K extends string>(params: TwilioParams, ...names: K[]): Record<K, string> {
  const missing = names.filter((name) => (params[name] ?? '').trim() === '');
  if (missing.length > 0) {
    throw new HTTPException(400, { message: `missing webhook field${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}` });
  }
  return Object.fromEntries(names.map((name) => [name, params[name]!])) as Record<K, string>;
}
