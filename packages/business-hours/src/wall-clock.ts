import { IANAZone } from 'luxon';

/**
 * Local calendar arithmetic on epoch milliseconds, shared by the schedule and window functions.
 *
 * A local day is a day number on the zone's calendar (0 is 1970-01-01), so days step by one whatever
 * their real length. Luxon supplies the zone's UTC offset at an instant (IANA rules, DST); the rest is
 * done here because luxon's own local-to-instant conversion picks between the two readings of a
 * repeated hour by the current date (it reads the clock) and moves a skipped time forward by the
 * length of the gap (02:30 becomes 03:30), neither of which a schedule wants.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** A span of real time, [start, end) in epoch milliseconds. */
export interface Span {
  start: number;
  end: number;
}

/** The zone to compute in; throws a RangeError naming a zone the platform does not know. */
export function zoneNamed(name: string): IANAZone {
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw new RangeError(`${JSON.stringify(name)} is not an IANA time zone such as "America/Chicago"`);
  return zone;
}

/** Epoch milliseconds of a Date; throws a RangeError on an invalid Date rather than computing with NaN. */
export function instantOf(at: Date): number {
  const instant = at.getTime();
  if (!Number.isFinite(instant)) throw new RangeError('expected a valid Date, got an invalid one');
  return instant;
}

/** What the zone's wall clock reads at an instant, as milliseconds on a UTC-like local time line. */
export function wallTimeAt(zone: IANAZone, instant: number): number {
  return instant + zone.offset(instant) * MINUTE_MS;
}

/** The local day (day number) an instant falls on in the zone. */
export function localDayOf(zone: IANAZone, instant: number): number {
  return Math.floor(wallTimeAt(zone, instant) / DAY_MS);
}

/** Weekday of a local day, Monday 0 to Sunday 6 (as `BusinessHours.weekly` indexes them). */
export function weekdayOf(day: number): number {
  // Day 0, 1970-01-01, was a Thursday.
  return (((day + 3) % 7) + 7) % 7;
}

/** A local day as "YYYY-MM-DD" (as `BusinessHours.closed` lists them). */
export function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The first instant at which the zone's wall clock, on the given local day, reads `minute` (0..1440,
 * 1440 being the next midnight) or later. This is how a local time becomes an instant everywhere in
 * this package:
 * - a time the clock skips (02:30 on a spring-forward day in the US) becomes the end of the jump
 *   (03:00), the first moment the clock reads that time or later;
 * - a time the clock reads twice (01:30 on a fall-back day) is its first reading, so a span that
 *   starts or ends inside the repeated hour does not reopen when the hour repeats, and a span around
 *   it lasts its real length (00:00-03:00 lasts four hours on a US fall-back day).
 */
export function wallClockReaches(zone: IANAZone, day: number, minute: number): number {
  const wall = day * DAY_MS + minute * MINUTE_MS;
  // Offsets in force around that wall time; a real instant for it has one of them.
  const offsets = [...new Set([wall - DAY_MS, wall, wall + DAY_MS].map((instant) => zone.offset(instant)))];
  const readings = offsets.map((offset) => wall - offset * MINUTE_MS).filter((instant) => wallTimeAt(zone, instant) === wall);
  if (readings.length > 0) return Math.min(...readings);
  // The clock skips this time: search the jump between the readings either offset would give.
  let before = wall - Math.max(...offsets) * MINUTE_MS;
  let after = wall - Math.min(...offsets) * MINUTE_MS;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallTimeAt(zone, middle) >= wall) after = middle;
    else before = middle;
  }
  return after;
}
