import { z } from 'zod';

const E164 = /^\+[1-9]\d{6,14}$/;
const PREFIX = /^\+[1-9]\d{0,13}$/;

const phoneNumber = z.string('must be a phone number in E.164 form, like +15125550199').regex(E164, 'must be a phone number in E.164 form, like +15125550199');

const numberList = (what: string) =>
  z.array(phoneNumber, { error: (issue) => (issue.input === undefined ? `is required: ${what} (E.164; may be empty)` : `must be a list of ${what} (E.164)`) }).max(10_000, 'at most 10,000 numbers');

/** An installation's settings: who is blocked, by number or by prefix, and who is never blocked. */
export const spamGuardConfigSchema = z
  .strictObject(
    {
      /** Known robocallers: never texted back, and scored 100. */
      blockedNumbers: numberList('the numbers to block'),
      /** Number prefixes to block, e.g. "+1900" (premium-rate lines): never texted back, and scored 90. */
      blockedPrefixes: z
        .array(z.string('must be a prefix like +1900').regex(PREFIX, 'must be "+" and the first digits of the numbers to block, like +1900'), 'must be a list of prefixes like +1900')
        .max(1_000, 'at most 1,000 prefixes')
        .default([]),
      /** Numbers that are never blocked or scored, whatever the lists say (a customer on a blocked prefix). */
      allowNumbers: numberList('the numbers never to block').default([]),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown setting ${issue.keys.map((key) => `"${key}"`).join(', ')}: spam-guard takes blockedNumbers, blockedPrefixes and allowNumbers`
          : issue.code === 'invalid_type'
            ? 'must be an object with blockedNumbers, and optionally blockedPrefixes and allowNumbers'
            : undefined,
    },
  )
  .superRefine((config, context) => {
    config.allowNumbers.forEach((number, index) => {
      if (config.blockedNumbers.includes(number)) {
        context.addIssue({ code: 'custom', path: ['allowNumbers', index], message: `${number} is also in blockedNumbers: keep it in one list` });
      }
    });
  });

export type SpamGuardConfig = z.output<typeof spamGuardConfigSchema>;

/** The score_caller step's `with:` settings. */
export const scoreCallerSettingsSchema = z.strictObject({
  /** A score at or above this flags the caller (output.flagged); 70 unless set. */
  threshold: z.int('must be a whole number from 0 to 100').min(0, 'must be 0 or more').max(100, 'must be 100 or less').optional(),
});
