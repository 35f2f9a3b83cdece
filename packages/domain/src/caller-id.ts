import { parsePhone, type E164 } from './phone.js';

/** Why a caller can't be texted back even though the call was missed. */
export type UntextableCallerReason = 'anonymous' | 'restricted' | 'invalid';

export type CallerId =
  | { kind: 'textable'; e164: E164 }
  | { kind: 'untextable'; reason: UntextableCallerReason; raw: string };

/**
 * Twilio reports withheld caller IDs either as a word or as a keypad-spelled pseudo number
 * (+266696687 spells ANONYMOUS). None of them can receive a text.
 */
const WITHHELD: Record<string, UntextableCallerReason> = {
  anonymous: 'anonymous',
  private: 'anonymous',
  unknown: 'anonymous',
  unavailable: 'anonymous',
  restricted: 'restricted',
  blocked: 'restricted',
  '+266696687': 'anonymous',
  '+8656696': 'anonymous',
  '+86282452253': 'anonymous',
  '+7378742833': 'restricted',
  '+2562533': 'restricted',
};

export function classifyCallerId(from: string | undefined): CallerId {
  const raw = (from ?? '').trim();
  const withheld = WITHHELD[raw.toLowerCase()];
  if (withheld) return { kind: 'untextable', reason: withheld, raw };
  if (raw === '') return { kind: 'untextable', reason: 'anonymous', raw };
  // Anything but digits, + and the usual separators is not a number we could text (a SIP or
  // client address, or a value mangled on the way).
  if (!/^[+\d\s().-]+$/.test(raw)) return { kind: 'untextable', reason: 'invalid', raw };
  const parsed = parsePhone(raw);
  if (!parsed.ok) return { kind: 'untextable', reason: 'invalid', raw };
  return { kind: 'textable', e164: parsed.e164 };
}
