import { describe, expect, it } from 'vitest';
import { isOpenAt } from './is-open.js';
import { at, scheduleOf } from './testing/schedules.js';

const CHICAGO = 'America/Chicago';
const shop = scheduleOf({ 'mon-fri': ['08:00-12:00', '13:00-18:00'], sat: ['09:00-13:00'] }, ['2026-12-25']);

/** Which of the instants the business is open at. */
function openAt(hours: Parameters<typeof isOpenAt>[0], zone: string, instants: string[]): Record<string, boolean> {
  return Object.fromEntries(instants.map((instant) => [instant, isOpenAt(hours, zone, at(instant))]));
}

describe('isOpenAt', () => {
  it('follows several intervals a day: open from the start, closed at the end and over lunch', () => {
    expect(
      openAt(shop, CHICAGO, [
        '2026-01-05T07:59:59.999-06:00',
        '2026-01-05T08:00-06:00',
        '2026-01-05T11:59-06:00',
        '2026-01-05T12:00-06:00',
        '2026-01-05T12:30-06:00',
        '2026-01-05T13:00-06:00',
        '2026-01-05T17:59:59.999-06:00',
        '2026-01-05T18:00-06:00',
      ]),
    ).toEqual({
      '2026-01-05T07:59:59.999-06:00': false,
      '2026-01-05T08:00-06:00': true,
      '2026-01-05T11:59-06:00': true,
      '2026-01-05T12:00-06:00': false,
      '2026-01-05T12:30-06:00': false,
      '2026-01-05T13:00-06:00': true,
      '2026-01-05T17:59:59.999-06:00': true,
      '2026-01-05T18:00-06:00': false,
    });
  });

  it('is closed on days the weekly schedule does not list', () => {
    expect(isOpenAt(shop, CHICAGO, at('2026-01-10T10:00-06:00'))).toBe(true);
    expect(isOpenAt(shop, CHICAGO, at('2026-01-11T10:00-06:00'))).toBe(false);
  });

  it('lets a closed date win over the weekly schedule', () => {
    expect(isOpenAt(shop, CHICAGO, at('2026-12-24T10:00-06:00'))).toBe(true);
    expect(isOpenAt(shop, CHICAGO, at('2026-12-25T10:00-06:00'))).toBe(false);
  });

  it('reads the schedule in the zone it is given, not in UTC or the server zone', () => {
    const instant = '2026-01-05T13:30Z';
    expect(isOpenAt(shop, CHICAGO, at(instant))).toBe(false);
    expect(isOpenAt(shop, 'Europe/Berlin', at(instant))).toBe(true);
  });

  it('treats "00:00-24:00" as open around the clock, midnight included', () => {
    const allWeek = scheduleOf({ 'mon-sun': ['00:00-24:00'] });
    expect(openAt(allWeek, CHICAGO, ['2026-01-05T00:00-06:00', '2026-01-05T23:59:59.999-06:00', '2026-03-08T02:00-05:00'])).toEqual({
      '2026-01-05T00:00-06:00': true,
      '2026-01-05T23:59:59.999-06:00': true,
      '2026-03-08T02:00-05:00': true,
    });
  });

  it('joins an interval to 24:00 with one from 00:00 the next day', () => {
    const lateNights = scheduleOf({ fri: ['18:00-24:00'], sat: ['00:00-02:00'] });
    expect(
      openAt(lateNights, CHICAGO, ['2026-01-09T23:59-06:00', '2026-01-10T00:00-06:00', '2026-01-10T01:59-06:00', '2026-01-10T02:00-06:00']),
    ).toEqual({
      '2026-01-09T23:59-06:00': true,
      '2026-01-10T00:00-06:00': true,
      '2026-01-10T01:59-06:00': true,
      '2026-01-10T02:00-06:00': false,
    });
  });
});

describe('isOpenAt across DST changes', () => {
  it('opens a spring-forward interval when the clock jumps past its start (Chicago, 2026-03-08)', () => {
    const earlySunday = scheduleOf({ sun: ['02:30-04:00'] });
    // 01:59 CST is followed by 03:00 CDT: the interval is open one real hour.
    expect(
      openAt(earlySunday, CHICAGO, ['2026-03-08T01:59-06:00', '2026-03-08T03:00-05:00', '2026-03-08T03:59-05:00', '2026-03-08T04:00-05:00']),
    ).toEqual({
      '2026-03-08T01:59-06:00': false,
      '2026-03-08T03:00-05:00': true,
      '2026-03-08T03:59-05:00': true,
      '2026-03-08T04:00-05:00': false,
    });
  });

  it('keeps an interval around the repeated hour open for its real length (Chicago, 2026-11-01)', () => {
    const nightShift = scheduleOf({ sun: ['00:00-03:00'] });
    // 00:00 CDT to 03:00 CST is four real hours; 01:30 happens twice and is open both times.
    expect(
      openAt(nightShift, CHICAGO, [
        '2026-11-01T00:00-05:00',
        '2026-11-01T01:30-05:00',
        '2026-11-01T01:30-06:00',
        '2026-11-01T02:59-06:00',
        '2026-11-01T03:00-06:00',
      ]),
    ).toEqual({
      '2026-11-01T00:00-05:00': true,
      '2026-11-01T01:30-05:00': true,
      '2026-11-01T01:30-06:00': true,
      '2026-11-01T02:59-06:00': true,
      '2026-11-01T03:00-06:00': false,
    });
  });

  it('closes at the first reading of a repeated time and does not reopen when the hour repeats', () => {
    const closesInRepeat = scheduleOf({ sun: ['00:00-01:30'] });
    expect(
      openAt(closesInRepeat, 'America/New_York', ['2026-11-01T01:29-04:00', '2026-11-01T01:30-04:00', '2026-11-01T01:10-05:00', '2026-11-01T01:40-05:00']),
    ).toEqual({
      '2026-11-01T01:29-04:00': true,
      '2026-11-01T01:30-04:00': false,
      '2026-11-01T01:10-05:00': false,
      '2026-11-01T01:40-05:00': false,
    });
  });

  it('never opens an interval the clock skips entirely', () => {
    const skipped = scheduleOf({ sun: ['02:00-02:45'] });
    expect(isOpenAt(skipped, 'America/New_York', at('2026-03-08T01:59-05:00'))).toBe(false);
    expect(isOpenAt(skipped, 'America/New_York', at('2026-03-08T03:00-04:00'))).toBe(false);
    expect(isOpenAt(skipped, 'America/New_York', at('2026-03-15T02:10-04:00'))).toBe(true);
  });

  it('stays open when the clock is set back across midnight to the day before (St. John’s, 2010-11-07)', () => {
    // St. John's then fell back at 00:01 NDT to 23:01 NST on Saturday: Sunday had begun, so the
    // Sunday interval runs on while the clock reads Saturday again.
    const sundayMidnight = scheduleOf({ sun: ['00:00-01:00'] });
    expect(
      openAt(sundayMidnight, 'America/St_Johns', ['2010-11-06T23:59-02:30', '2010-11-07T00:00-02:30', '2010-11-06T23:30-03:30', '2010-11-07T01:00-03:30']),
    ).toEqual({
      '2010-11-06T23:59-02:30': false,
      '2010-11-07T00:00-02:30': true,
      '2010-11-06T23:30-03:30': true,
      '2010-11-07T01:00-03:30': false,
    });
  });

  it('has no DST surprises in a zone without DST (Phoenix)', () => {
    const earlySunday = scheduleOf({ sun: ['02:30-04:00'] });
    expect(openAt(earlySunday, 'America/Phoenix', ['2026-03-08T02:29-07:00', '2026-03-08T02:30-07:00', '2026-03-08T03:59-07:00'])).toEqual({
      '2026-03-08T02:29-07:00': false,
      '2026-03-08T02:30-07:00': true,
      '2026-03-08T03:59-07:00': true,
    });
  });

  it('follows DST east of UTC, in other months (Sydney springs forward on 2026-10-04, Berlin falls back on 2026-10-25)', () => {
    const earlySunday = scheduleOf({ sun: ['02:30-04:00'] });
    // In Sydney the UTC date is still Saturday.
    expect(openAt(earlySunday, 'Australia/Sydney', ['2026-10-04T01:59+10:00', '2026-10-04T03:00+11:00', '2026-10-04T04:00+11:00'])).toEqual({
      '2026-10-04T01:59+10:00': false,
      '2026-10-04T03:00+11:00': true,
      '2026-10-04T04:00+11:00': false,
    });
    // Berlin repeats 02:00-03:00: open from the first 02:30, it stays open while the hour repeats.
    const berlin = ['2026-10-25T02:29+02:00', '2026-10-25T02:30+02:00', '2026-10-25T02:10+01:00', '2026-10-25T03:59+01:00'];
    expect(openAt(earlySunday, 'Europe/Berlin', berlin)).toEqual({
      '2026-10-25T02:29+02:00': false,
      '2026-10-25T02:30+02:00': true,
      '2026-10-25T02:10+01:00': true,
      '2026-10-25T03:59+01:00': true,
    });
  });
});

describe('isOpenAt input checks', () => {
  it('names an unknown zone and refuses an invalid date', () => {
    expect(() => isOpenAt(shop, 'America/Springfield', at('2026-01-05T10:00-06:00'))).toThrow(
      '"America/Springfield" is not an IANA time zone such as "America/Chicago"',
    );
    expect(() => isOpenAt(shop, CHICAGO, new Date(Number.NaN))).toThrow('expected a valid Date, got an invalid one');
  });
});
