import { openSpansOn } from './open-spans.js';
import type { BusinessHours } from './schedule.js';
import { instantOf, localDayOf, zoneNamed } from './wall-clock.js';

/**
 * The first instant at or after `at` at which the business is open, or null when its weekly schedule
 * has no interval at all. When the business is open at `at`, that is `at` itself: "how long until we
 * open" is then zero, which is what a `wait: until business hours open` step needs; an after-hours
 * message only asks while the business is closed, and then gets the next opening time.
 *
 * A skipped local time opens when the clock jumps past it (an opening at 02:30 on a US spring-forward
 * day opens at 03:00); an opening in a repeated hour opens at its first reading. Pure and bounded: it
 * looks at most 7 × (number of closed dates + 3) days ahead: even if every closed date falls on an
 * open weekday, that leaves three weeks of open days, more than DST can take away (it skips at most an
 * hour or so, twice a year), so the search ends on an opening whenever the schedule has one.
 */
export function nextOpening(hours: BusinessHours, zone: string, at: Date): Date | null {
  if (!hours.weekly.some((intervals) => intervals.length > 0)) return null;
  const tz = zoneNamed(zone);
  const instant = instantOf(at);
  const closed = new Set(hours.closed);
  // Earlier days' spans all end by the time the clock reaches today, so none can hold an opening.
  const first = localDayOf(tz, instant);
  const last = first + 7 * (closed.size + 3);
  for (let day = first; day <= last; day += 1) {
    const span = openSpansOn(hours, tz, day, closed).find((candidate) => candidate.end > instant);
    if (span) return new Date(Math.max(span.start, instant));
  }
  return null;
}
