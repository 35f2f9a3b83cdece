import { SegmentedMessage } from 'sms-segments-calculator';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** How a text travels as SMS: the encoding the network uses for it and how many segments it is billed as. */
export interface MessageSegments {
  encoding: SmsEncoding;
  /** Characters as a reader counts them (an emoji, even a composed one, is one). */
  characters: number;
  /** Length in the encoding's units: GSM-7 septets (extension characters such as € { } count two), else UTF-16 code units. */
  units: number;
  /** Segments billed: one up to 160 septets (GSM-7) or 70 units (UCS-2), else parts of 153 or 67, never splitting a character. */
  segments: number;
  /** The distinct characters outside GSM 03.38 that forced UCS-2, in order of appearance (empty for GSM-7). */
  nonGsmCharacters: string[];
  /** What the author should know before sending: more than one segment, and what forced UCS-2. */
  warnings: string[];
}

/** Units in one segment alone, and in each part of a concatenated message (the rest carries the header). */
export const SEGMENT_LIMITS: Readonly<Record<SmsEncoding, { single: number; part: number }>> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/**
 * Encoding, length and segments of a text as the GSM 03.38 rules (the basic set and the extension
 * table) decide them, through Twilio Labs' segment calculator (the one behind Twilio's own
 * "Messaging segment calculator"): it splits on whole characters, so a surrogate pair or an
 * extension character's escape is never cut between two segments.
 */
export function messageSegments(text: string): MessageSegments {
  const message = new SegmentedMessage(text, 'auto', false);
  const encoding = message.encodingName;
  const units = message.encodedChars.reduce((sum, char) => sum + char.codeUnits.length, 0);
  const nonGsmCharacters = encoding === 'UCS-2' ? [...new Set(message.getNonGsmCharacters())] : [];
  // An empty text is still one (empty) SMS.
  const segments = Math.max(1, message.segmentsCount);
  const warnings: string[] = [];
  if (nonGsmCharacters.length > 0) {
    const shown = nonGsmCharacters.slice(0, 5).map(describeCharacter).join(', ');
    const more = nonGsmCharacters.length > 5 ? ` and ${nonGsmCharacters.length - 5} more` : '';
    warnings.push(`UCS-2 encoding (${SEGMENT_LIMITS['UCS-2'].single} characters per segment instead of ${SEGMENT_LIMITS['GSM-7'].single}) because of ${shown}${more}`);
  }
  if (segments > 1) {
    const limit = SEGMENT_LIMITS[encoding];
    warnings.push(`the message needs ${segments} SMS segments (${units} ${encoding === 'GSM-7' ? 'GSM-7 characters' : 'UCS-2 units'}, over ${limit.single}; ${limit.part} per part); each segment is billed as one text`);
  }
  return { encoding, characters: message.graphemes.length, units, segments, nonGsmCharacters, warnings };
}

/** A character with its code points, e.g. `’ (U+2019)` or `👋 (U+1F44B)`. */
function describeCharacter(char: string): string {
  const points = [...char].map((point) => `U+${point.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  return `"${char}" (${points.join(' ')})`;
}
