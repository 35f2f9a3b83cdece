import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** A phone number in E.164 form, e.g. "+15551234567". */
export type E164 = string & { readonly __brand: 'E164' };

export type PhoneParseResult =
  | { ok: true; e164: E164 }
  | { ok: false; reason: string };

/**
 * Normalises user or carrier input to E.164. Numbers without a leading "+" are read in
 * `defaultCountry` (US unless told otherwise), so "(555) 010-2000" works for a US business.
 */
export function parsePhone(input: string, defaultCountry: CountryCode = 'US'): PhoneParseResult {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, reason: 'is empty' };
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (!parsed) return { ok: false, reason: `"${input}" is not a phone number` };
  if (!parsed.isValid()) return { ok: false, reason: `"${input}" is not a valid phone number` };
  return { ok: true, e164: parsed.number as E164 };
}

/** Like parsePhone, but throws a message naming the field, for use at trust boundaries. */
export function requirePhone(input: string, field: string, defaultCountry?: CountryCode): E164 {
  const result = parsePhone(input, defaultCountry);
  if (!result.ok) throw new InvalidPhoneError(field, result.reason);
  return result.e164;
}

export class InvalidPhoneError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = 'InvalidPhoneError';
  }
}
