/**
 * What may leave a process in logs and error responses: no personal data beyond a phone number's
 * last four digits, and never a dependency's raw error (PostgreSQL errors carry the SQL with its
 * parameters: phone numbers, message bodies).
 */

/** "+15125550123" → "…0123". */
export function lastFour(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 4 ? '…' : `…${digits.slice(-4)}`;
}

// Seven or more digits, optionally with a leading + and the usual separators.
const PHONE_LIKE = /\+?\d[\d\s().-]{5,}\d/g;

/** Replaces every phone-number-like run of digits in free text by its last four digits. */
export function redactPhones(text: string): string {
  return text.replace(PHONE_LIKE, (match) => lastFour(match));
}

/** Dependency errors whose message quotes the statement and its parameters. */
const DRIVER_ERROR = /Exception$|^DatabaseError$|^error$/;

/**
 * A short, safe description of an error for logs: its name, its code, and (for errors that do not
 * quote SQL) its message with phone numbers reduced to their last four digits.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return redactPhones(String(error)).slice(0, 300);
  // A GraphQL error wrapping a resolver's error: describe what was thrown.
  const original = (error as { originalError?: unknown }).originalError;
  if (original instanceof Error) return describeError(original);
  const { name } = error;
  const code = (error as { code?: unknown }).code;
  const codePart = typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : '';
  if (DRIVER_ERROR.test(name) || 'sqlMessage' in error || /\b(insert into|update|select|delete from)\b/i.test(error.message)) {
    return `${name}${codePart}: database operation failed`;
  }
  const cause = error.cause instanceof Error ? ` (cause: ${describeError(error.cause)})` : '';
  return `${name}${codePart}: ${redactPhones(error.message).slice(0, 300)}${cause}`;
}
