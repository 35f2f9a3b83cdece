import { WEEKDAYS, type Weekday } from './schedule.js';
import { instantOf, isoDateOf, localDayOf, wallClockReaches, weekdayOf, zoneNamed } from './wall-clock.js';

/** The zone's weekday at an instant ("mon" … "sun"). Pure: it never reads the clock. */
export function localWeekday(zone: string, at: Date): Weekday {
  return WEEKDAYS[weekdayOf(localDayOf(zoneNamed(zone), instantOf(at)))]!;
}

/** The first instant of the local day `at` falls on. Pure. */
export function startOfLocalDay(zone: string, at: Date): Date {
  const named = zoneNamed(zone);
  return new Date(wallClockReaches(named, localDayOf(named, instantOf(at)), 0));
}

/** The zone's calendar date at an instant, "YYYY-MM-DD" (a daily cap counts per local date). Pure. */
export function localDate(zone: string, at: Date): string {
  return isoDateOf(localDayOf(zoneNamed(zone), instantOf(at)));
}
