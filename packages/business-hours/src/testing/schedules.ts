import { parseBusinessHours, parseDailyWindow, type BusinessHours, type DayInterval } from '../schedule.js';

/** A parsed schedule for tests, written as a snapshot would write it; throws on a typo in the test. */
export function scheduleOf(weekly: Record<string, string[]>, closed: string[] = []): BusinessHours {
  const result = parseBusinessHours({ weekly, closed });
  if (!result.ok) throw new Error(`bad test schedule: ${JSON.stringify(result.issues)}`);
  return result.value;
}

/** A parsed daily window for tests, e.g. "21:00-08:00". */
export function windowOf(text: string): DayInterval {
  const result = parseDailyWindow(text);
  if (!result.ok) throw new Error(`bad test window: ${JSON.stringify(result.issues)}`);
  return result.value;
}

/** An instant written as local time with its offset, e.g. at('2026-03-08T03:00-05:00'). */
export function at(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`bad test instant: ${text}`);
  return date;
}
