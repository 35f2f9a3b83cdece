import type { IANAZone } from 'luxon';
import type { BusinessHours } from './schedule.js';
import { isoDateOf, wallClockReaches, weekdayOf, type Span } from './wall-clock.js';

/**
 * The real-time spans during which a business is open on one local day, in order: none on a closed
 * date, otherwise one per interval of that weekday, each from the first moment the wall clock reaches
 * its start to the first moment it reaches its end (see `wallClockReaches` for skipped and repeated
 * times). An interval that lies wholly in a skipped hour is left out: the business never opens then.
 */
export function openSpansOn(hours: BusinessHours, zone: IANAZone, day: number, closed: ReadonlySet<string>): Span[] {
  if (closed.has(isoDateOf(day))) return [];
  const spans: Span[] = [];
  for (const interval of hours.weekly[weekdayOf(day)] ?? []) {
    const span = { start: wallClockReaches(zone, day, interval.start), end: wallClockReaches(zone, day, interval.end) };
    if (span.start < span.end) spans.push(span);
  }
  return spans;
}
