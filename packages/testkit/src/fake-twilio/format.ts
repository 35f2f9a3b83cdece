import { randomBytes } from 'node:crypto';

export const API_VERSION = '2010-04-01';

/** A Twilio-shaped SID: two-letter prefix and 32 lowercase hex digits. */
export function newSid(prefix: 'SM' | 'PN'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** RFC 2822 date in GMT as Twilio writes it: `Tue, 27 Nov 2018 16:14:39 +0000`. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** Now, to the whole second (Twilio's timestamps have no fractions). */
export function nowToTheSecond(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

export function isE164(number: string): boolean {
  return /^\+[1-9]\d{1,14}$/.test(number);
}

// GSM 03.38 default alphabet, and the extension table whose characters take two septets.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('\f^{}\\[~]|€');

/** SMS segments for a body: GSM-7 (160, or 153 per part) unless any character needs UCS-2 (70 / 67). */
export function countSegments(body: string): number {
  let septets = 0;
  let gsm = true;
  for (const char of body) {
    if (GSM_BASIC.has(char)) septets += 1;
    else if (GSM_EXTENDED.has(char)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return septets <= 160 ? 1 : Math.ceil(septets / 153);
  const units = body.length; // UTF-16 code units
  return units <= 70 ? 1 : Math.ceil(units / 67);
}
