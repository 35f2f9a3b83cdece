import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { BusinessHours, DayInterval } from '../schedule.js';

/**
 * Zones for property tests: both US DST rules, no DST (Phoenix, Kolkata), east of UTC with DST in
 * other months (Berlin, Sydney), a 30-minute DST shift (Lord Howe), odd offsets (Chatham +12:45,
 * St. John's -3:30) and DST changes at midnight (Santiago).
 */
export const ZONES = [
  'America/Chicago',
  'America/New_York',
  'America/Phoenix',
  'Asia/Kolkata',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/St_Johns',
  'America/Santiago',
] as const;

/** Local days of the 2026 DST changes in those zones (UTC midnight of each; instants are spread around). */
const DST_DAYS_2026 = ['2026-03-08', '2026-11-01', '2026-03-29', '2026-10-25', '2026-04-05', '2026-10-04', '2026-04-04', '2026-09-06', '2026-09-27'];
const HOUR_MS = 3_600_000;

export const zone = fc.constantFrom(...ZONES);

/** Instants from mid-2025 to mid-2028, half of them within two days of a 2026 DST change. */
export const instant = fc
  .oneof(
    fc.integer({ min: Date.UTC(2025, 5, 1), max: Date.UTC(2028, 5, 1) }),
    fc
      .tuple(fc.constantFrom(...DST_DAYS_2026), fc.integer({ min: -48 * HOUR_MS, max: 48 * HOUR_MS }))
      .map(([day, shift]) => Date.parse(`${day}T00:00Z`) + shift),
  )
  .map((ms) => new Date(ms));

/** Minutes after midnight, often on quarter hours and around the hours DST changes use. */
const minute = fc.oneof(
  fc.integer({ min: 0, max: 1440 }),
  fc.integer({ min: 0, max: 96 }).map((quarter) => quarter * 15),
  fc.constantFrom(0, 60, 120, 150, 180, 1440),
);

/** Zero to three sorted, apart intervals of one day. */
const dayIntervals: fc.Arbitrary<DayInterval[]> = fc.uniqueArray(minute, { maxLength: 6 }).map((bounds) => {
  const sorted = [...bounds].sort((a, b) => a - b);
  const intervals: DayInterval[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) intervals.push({ start: sorted[i]!, end: sorted[i + 1]! });
  return intervals;
});

/** A weekly schedule (about half the days closed) and closed dates given as days after an instant. */
export const schedule = fc.record({
  weekly: fc.array(fc.oneof(fc.constant<DayInterval[]>([]), dayIntervals), { minLength: 7, maxLength: 7 }),
  closedDaysAhead: fc.uniqueArray(fc.integer({ min: -2, max: 30 }), { maxLength: 6 }),
});

/** The schedule with its closed dates laid out from `from` (on the UTC calendar: close enough to its local one). */
export function businessHours({ weekly, closedDaysAhead }: { weekly: DayInterval[][]; closedDaysAhead: number[] }, from: Date): BusinessHours {
  const closed = closedDaysAhead.map((days) => new Date(from.getTime() + days * 24 * HOUR_MS).toISOString().slice(0, 10));
  return { timeZone: null, weekly, closed: [...new Set(closed)].sort() };
}

/** A daily window as parseDailyWindow allows it: not empty, not the whole day, may run past midnight. */
export const dailyWindow: fc.Arbitrary<DayInterval> = fc
  .record({ start: fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.constantFrom(0, 60, 120, 150, 1260, 1380)), end: minute })
  .filter(({ start, end }) => start !== end && !(start === 0 && end === 1440));

/** What the zone's wall clock reads at an instant: ISO date, weekday (Monday 0) and minute of the day. */
export function wallClock(zoneName: string, at: Date): { date: string; weekday: number; minute: number } {
  const local = DateTime.fromMillis(at.getTime(), { zone: zoneName });
  return { date: local.toISODate() ?? '', weekday: local.weekday - 1, minute: local.hour * 60 + local.minute };
}

/** Whether the zone's UTC offset is the same from two days before to two days after (no DST change near). */
export function farFromDstChange(zoneName: string, at: Date): boolean {
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone: zoneName }).offset;
  return offsetAt(at.getTime() - 50 * HOUR_MS) === offsetAt(at.getTime() + 50 * HOUR_MS);
}
