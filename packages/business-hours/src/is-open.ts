import { openSpansOn } from './open-spans.js';
import type { BusinessHours } from './schedule.js';
import { instantOf, localDayOf, zoneNamed } from './wall-clock.js';

/**
 * Whether the business is open at an instant (the `business_hours.is_open` merge field and the
 * `if: { business_hours: open }` condition). `zone` is the zone to read the schedule in: the caller
 * passes `hours.timeZone ?? subAccountZone`. A closed date is closed all day whatever the weekly
 * schedule says; an interval includes its start and excludes its end, so "08:00-17:00" is open at
 * 08:00 and closed at 17:00. Pure: it never reads the clock.
 */
export function isOpenAt(hours: BusinessHours, zone: string, at: Date): boolean {
  const tz = zoneNamed(zone);
  const instant = instantOf(at);
  const today = localDayOf(tz, instant);
  const closed = new Set(hours.closed);
  // Earlier days' spans end by the time the clock reaches today. Tomorrow's can hold this instant
  // when the clock is set back across midnight (00:30 back to 23:30 reads yesterday's date again).
  for (let day = today; day <= today + 1; day += 1) {
    if (openSpansOn(hours, tz, day, closed).some((span) => span.start <= instant && instant < span.end)) return true;
  }
  return false;
}
