import { WEEKDAYS, type Weekday } from './schedule.js';
import { instantOf, localDayOf, wallClockReaches, weekdayOf, zoneNamed } from './wall-clock.js';

/** The zone's weekday at an instant ("mon" … "sun"). Pure: it never reads the clock. */
export function localWeekday(zone: string, at: Date): Weekday {
  return WEEKDAYS[weekdayOf(localDayOf(zoneNamed(zone), instantOf(at)))]!;
}

/** The first instant of the local day `at` falls on (a daily cap counts from here). Pure. */
export function startOfLocalDay(zone: string, at: Date): Date {
  const named = zoneNamed(zone);
  return new Date(wallClockReaches(named, localDayOf(named, instantOf(at)), 0));
}
