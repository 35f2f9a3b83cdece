import { SecretKeyring } from '@mctb/secrets';
import { z } from 'zod';

/**
 * MCTB_SECRETS_KEY for a service's env schema: `id:base64key[,id:base64key...]` (the first key
 * seals, all open), read into a keyring; absent: undefined (the service then stores and opens no
 * secrets). A malformed value is named with the rest of the environment's problems.
 */
export function secretsKeyVariable() {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      try {
        return SecretKeyring.parse(value, 'MCTB_SECRETS_KEY');
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });
}
