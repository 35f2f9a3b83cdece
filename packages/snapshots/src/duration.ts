export type DurationParse = { ok: true; seconds: number } | { ok: false; message: string };

const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
/** Units in descending order, each at most once: "90s", "5m", "1h30m", "30d". */
const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const EXPECTED = 'expected a duration such as "0s", "90s", "5m", "1h30m", "24h" or a whole number of seconds';

/** Reads a snapshot duration: a string with d/h/m/s units, or whole seconds as a number or digit string. */
export function parseDuration(value: unknown): DurationParse {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? { ok: true, seconds: value } : { ok: false, message: EXPECTED };
  }
  if (typeof value !== 'string') return { ok: false, message: EXPECTED };
  const text = value.trim();
  if (/^\d+$/.test(text)) return parseDuration(Number(text));
  const match = DURATION_PATTERN.exec(text);
  if (!match || text === '') return { ok: false, message: `${EXPECTED}, not "${value}"` };
  const [, days, hours, minutes, seconds] = match;
  const total =
    Number(days ?? 0) * UNIT_SECONDS.d +
    Number(hours ?? 0) * UNIT_SECONDS.h +
    Number(minutes ?? 0) * UNIT_SECONDS.m +
    Number(seconds ?? 0) * UNIT_SECONDS.s;
  return Number.isSafeInteger(total) ? { ok: true, seconds: total } : { ok: false, message: `"${value}" is too long` };
}

/** The shortest exact spelling of a number of seconds, for messages: 86400 → "24h", 90 → "1m30s". */
export function formatDuration(totalSeconds: number): string {
  if (totalSeconds === 0) return '0s';
  let rest = totalSeconds;
  let text = '';
  // Days only when the whole value is in days, so the 24 h delay limit reads "24h" rather than "1d".
  const units = totalSeconds % UNIT_SECONDS.d === 0 && totalSeconds > UNIT_SECONDS.d ? (['d'] as const) : (['h', 'm', 's'] as const);
  for (const unit of units) {
    const count = Math.floor(rest / UNIT_SECONDS[unit]);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * UNIT_SECONDS[unit];
  }
  return text;
}
