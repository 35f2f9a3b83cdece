import { describe, expect, it } from 'vitest';
import { nextOpening } from './next-opening.js';
import { at, scheduleOf } from './testing/schedules.js';

const CHICAGO = 'America/Chicago';
const shop = scheduleOf({ 'mon-fri': ['08:00-12:00', '13:00-18:00'], sat: ['09:00-13:00'] }, ['2026-12-25']);

function opening(hours: Parameters<typeof nextOpening>[0], zone: string, instant: string): string | undefined {
  return nextOpening(hours, zone, at(instant))?.toISOString();
}

describe('nextOpening', () => {
  it('is the instant itself while the business is open: nothing to wait for', () => {
    expect(opening(shop, CHICAGO, '2026-01-05T10:17:23.456-06:00')).toBe(at('2026-01-05T10:17:23.456-06:00').toISOString());
    expect(opening(shop, CHICAGO, '2026-01-05T08:00-06:00')).toBe(at('2026-01-05T08:00-06:00').toISOString());
  });

  it('finds the next interval the same day, the next day, and after a closed weekend day', () => {
    expect(opening(shop, CHICAGO, '2026-01-05T12:00-06:00')).toBe(at('2026-01-05T13:00-06:00').toISOString());
    expect(opening(shop, CHICAGO, '2026-01-05T06:10-06:00')).toBe(at('2026-01-05T08:00-06:00').toISOString());
    expect(opening(shop, CHICAGO, '2026-01-09T18:00-06:00')).toBe(at('2026-01-10T09:00-06:00').toISOString());
    expect(opening(shop, CHICAGO, '2026-01-10T13:00-06:00')).toBe(at('2026-01-12T08:00-06:00').toISOString());
  });

  it('skips closed dates, across the year end', () => {
    const holidays = scheduleOf({ 'mon-fri': ['08:00-17:00'], sat: ['09:00-13:00'] }, ['2026-12-31', '2027-01-01']);
    expect(opening(shop, CHICAGO, '2026-12-24T18:30-06:00')).toBe(at('2026-12-26T09:00-06:00').toISOString());
    expect(opening(holidays, CHICAGO, '2026-12-30T17:00-06:00')).toBe(at('2027-01-02T09:00-06:00').toISOString());
    expect(opening(holidays, CHICAGO, '2026-12-31T10:00-06:00')).toBe(at('2027-01-02T09:00-06:00').toISOString());
  });

  it('waits a week when only one day is open, and past closed dates on that day', () => {
    const wednesdays = scheduleOf({ wed: ['10:00-11:00'] });
    expect(opening(wednesdays, CHICAGO, '2026-01-08T09:00-06:00')).toBe(at('2026-01-14T10:00-06:00').toISOString());
    expect(opening(wednesdays, CHICAGO, '2026-01-07T11:00-06:00')).toBe(at('2026-01-14T10:00-06:00').toISOString());
    const closedWednesdays = scheduleOf({ wed: ['10:00-11:00'] }, ['2026-01-14', '2026-01-21', '2026-01-28', '2026-02-04']);
    expect(opening(closedWednesdays, CHICAGO, '2026-01-08T09:00-06:00')).toBe(at('2026-02-11T10:00-06:00').toISOString());
  });

  it('is null for a schedule that is never open', () => {
    expect(nextOpening(scheduleOf({}), CHICAGO, at('2026-01-05T10:00-06:00'))).toBeNull();
    expect(nextOpening(scheduleOf({ 'mon-sun': [] }, ['2026-01-06']), CHICAGO, at('2026-01-05T10:00-06:00'))).toBeNull();
  });

  it('is the instant itself all the time with "00:00-24:00" every day', () => {
    const allWeek = scheduleOf({ 'mon-sun': ['00:00-24:00'] });
    expect(opening(allWeek, CHICAGO, '2026-11-01T01:30-06:00')).toBe(at('2026-11-01T01:30-06:00').toISOString());
    expect(opening(allWeek, CHICAGO, '2026-12-31T23:59:59.999-06:00')).toBe(at('2026-12-31T23:59:59.999-06:00').toISOString());
  });

  it('opens at midnight after a closed date when the next day starts at 00:00', () => {
    const allWeek = scheduleOf({ 'mon-sun': ['00:00-24:00'] }, ['2026-12-25']);
    expect(opening(allWeek, CHICAGO, '2026-12-25T12:00-06:00')).toBe(at('2026-12-26T00:00-06:00').toISOString());
  });
});

describe('nextOpening across DST changes', () => {
  const earlySunday = scheduleOf({ sun: ['02:30-04:00'] });

  it('opens a skipped 02:30 when the clock jumps to 03:00 (both 2026 US spring-forward zones)', () => {
    expect(opening(earlySunday, CHICAGO, '2026-03-07T22:00-06:00')).toBe(at('2026-03-08T03:00-05:00').toISOString());
    expect(opening(earlySunday, 'America/New_York', '2026-03-07T22:00-05:00')).toBe(at('2026-03-08T03:00-04:00').toISOString());
  });

  it('waits for the next week when the clock skips the whole interval', () => {
    const skipped = scheduleOf({ sun: ['02:00-02:45'] });
    expect(opening(skipped, CHICAGO, '2026-03-07T22:00-06:00')).toBe(at('2026-03-15T02:00-05:00').toISOString());
  });

  it('opens at the first reading of a repeated time (both 2026 US fall-back zones)', () => {
    const repeated = scheduleOf({ sun: ['01:30-05:00'] });
    expect(opening(repeated, CHICAGO, '2026-10-31T22:00-05:00')).toBe(at('2026-11-01T01:30-05:00').toISOString());
    expect(opening(repeated, 'America/New_York', '2026-10-31T22:00-04:00')).toBe(at('2026-11-01T01:30-04:00').toISOString());
  });

  it('after an interval closed inside the repeated hour, waits for the next week rather than the repeat', () => {
    const closesInRepeat = scheduleOf({ sun: ['00:00-01:30'] });
    expect(opening(closesInRepeat, CHICAGO, '2026-11-01T01:10-06:00')).toBe(at('2026-11-08T00:00-06:00').toISOString());
  });

  it('has no DST surprises in Phoenix', () => {
    expect(opening(earlySunday, 'America/Phoenix', '2026-03-07T22:00-07:00')).toBe(at('2026-03-08T02:30-07:00').toISOString());
  });

  it('follows DST east of UTC (Sydney 2026-10-04, Berlin 2026-03-29)', () => {
    expect(opening(earlySunday, 'Australia/Sydney', '2026-10-03T20:00+10:00')).toBe(at('2026-10-04T03:00+11:00').toISOString());
    expect(opening(earlySunday, 'Europe/Berlin', '2026-03-28T20:00+01:00')).toBe(at('2026-03-29T03:00+02:00').toISOString());
  });

  it('counts from the business day, not the UTC day, east of UTC', () => {
    const mornings = scheduleOf({ 'mon-fri': ['09:00-17:00'] });
    // Monday 07:00 in Sydney is still Sunday in UTC.
    expect(opening(mornings, 'Australia/Sydney', '2026-01-05T07:00+11:00')).toBe(at('2026-01-05T09:00+11:00').toISOString());
  });
});
