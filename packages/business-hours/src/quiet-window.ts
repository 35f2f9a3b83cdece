import type { IANAZone } from 'luxon';
import type { DayInterval } from './schedule.js';
import { instantOf, localDayOf, wallClockReaches, zoneNamed, type Span } from './wall-clock.js';

/**
 * Daily windows such as quiet hours ("21:00-08:00", from `parseDailyWindow`): every local day, from
 * the first moment the clock reaches the start to the first moment it reaches the end, on the next
 * day when the window runs past midnight. Skipped and repeated times are read as `wallClockReaches`
 * reads them: a window ending at 02:30 on a US spring-forward night ends at 03:00, and one ending at
 * 01:30 on a fall-back night ends at the first 01:30. The start is inside the window, the end is not.
 */

/** Whether `at` falls inside the window in that zone. Pure: it never reads the clock. */
export function inWindow(window: DayInterval, zone: string, at: Date): boolean {
  return windowAround(window, zoneNamed(zone), instantOf(at)) !== undefined;
}

/**
 * When the window that contains `at` ends (the moment a follow-up held by quiet hours may be sent),
 * or `at` itself when `at` is outside the window. Pure: it never reads the clock.
 */
export function windowEnd(window: DayInterval, zone: string, at: Date): Date {
  const instant = instantOf(at);
  return new Date(windowAround(window, zoneNamed(zone), instant)?.end ?? instant);
}

function windowAround(window: DayInterval, zone: IANAZone, instant: number): Span | undefined {
  const today = localDayOf(zone, instant);
  // Yesterday's window may run past midnight into today; tomorrow's can hold this instant when the
  // clock is set back across midnight (00:30 back to 23:30 reads yesterday's date again).
  for (let day = today - 1; day <= today + 1; day += 1) {
    const span = windowOn(window, zone, day);
    if (span.start <= instant && instant < span.end) return span;
  }
  return undefined;
}

function windowOn(window: DayInterval, zone: IANAZone, day: number): Span {
  const endDay = window.end <= window.start ? day + 1 : day;
  return { start: wallClockReaches(zone, day, window.start), end: wallClockReaches(zone, endDay, window.end) };
}
