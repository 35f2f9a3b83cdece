import { describe, expect, it } from 'vitest';
import { describeOpening } from './describe-opening.js';
import { nextOpening } from './next-opening.js';
import { at, scheduleOf } from './testing/schedules.js';

const CHICAGO = 'America/Chicago';

function describeIn(zone: string, opening: string, now: string, locale?: string): string {
  return describeOpening(at(opening), at(now), zone, locale);
}

describe('describeOpening', () => {
  it('says today, tomorrow, a weekday within the coming week, and the date further out', () => {
    const now = '2026-01-05T10:00-06:00'; // a Monday
    expect(describeIn(CHICAGO, '2026-01-05T14:00-06:00', now)).toBe('today at 2:00 PM');
    expect(describeIn(CHICAGO, '2026-01-06T08:00-06:00', now)).toBe('tomorrow at 8:00 AM');
    expect(describeIn(CHICAGO, '2026-01-07T09:30-06:00', now)).toBe('Wednesday at 9:30 AM');
    expect(describeIn(CHICAGO, '2026-01-11T09:00-06:00', now)).toBe('Sunday at 9:00 AM');
    expect(describeIn(CHICAGO, '2026-01-12T09:00-06:00', now)).toBe('on Monday, January 12 at 9:00 AM');
  });

  it('names the date across the year end', () => {
    expect(describeIn(CHICAGO, '2026-01-02T09:00-06:00', '2025-12-24T18:00-06:00')).toBe('on Friday, January 2 at 9:00 AM');
    expect(describeIn(CHICAGO, '2027-01-02T09:00-06:00', '2026-12-31T18:00-06:00')).toBe('Saturday at 9:00 AM');
  });

  it('names the year of an opening half a year or more away', () => {
    expect(describeIn(CHICAGO, '2026-09-01T09:00-05:00', '2026-01-05T10:00-06:00')).toBe('on Tuesday, September 1, 2026 at 9:00 AM');
  });

  it('counts days in the business zone near midnight, while UTC is already on the next day', () => {
    // 11:30 PM Monday in Chicago is 05:30 Tuesday in UTC.
    const lateMonday = '2026-01-05T23:30-06:00';
    expect(describeIn(CHICAGO, '2026-01-06T08:00-06:00', lateMonday)).toBe('tomorrow at 8:00 AM');
    expect(describeIn(CHICAGO, '2026-01-05T23:45-06:00', lateMonday)).toBe('today at 11:45 PM');
    expect(describeIn(CHICAGO, '2026-01-07T08:00-06:00', lateMonday)).toBe('Wednesday at 8:00 AM');
  });

  it('counts days in the business zone east of UTC, where UTC is still on the previous day', () => {
    // 11:30 PM Monday in Sydney and 9:00 AM Tuesday are both Monday in UTC.
    expect(describeIn('Australia/Sydney', '2026-01-06T09:00+11:00', '2026-01-05T23:30+11:00')).toBe('tomorrow at 9:00 AM');
  });

  it('reads the local time of an opening after a DST jump', () => {
    expect(describeIn(CHICAGO, '2026-03-08T03:00-05:00', '2026-03-07T22:00-06:00')).toBe('tomorrow at 3:00 AM');
    expect(describeIn('America/New_York', '2026-11-01T01:30-05:00', '2026-10-31T20:00-04:00')).toBe('tomorrow at 1:30 AM');
  });

  it('says "now" for an opening that is not after now', () => {
    expect(describeIn(CHICAGO, '2026-01-05T10:00-06:00', '2026-01-05T10:00-06:00')).toBe('now');
  });

  it('uses the locale for time and date formats, with plain spaces only', () => {
    const now = '2026-01-05T10:00-06:00';
    expect(describeIn(CHICAGO, '2026-01-06T14:00-06:00', now, 'en-GB')).toBe('tomorrow at 14:00');
    expect(describeIn(CHICAGO, '2026-01-12T09:00-06:00', now, 'en-GB')).toBe('on Monday 12 January at 09:00');
    expect(describeIn(CHICAGO, '2026-01-12T09:00-06:00', now)).toMatch(/^[\x20-\x7e]+$/);
  });

  it('fills the after-hours sentence with the next opening of a schedule', () => {
    const shop = scheduleOf({ 'mon-fri': ['08:00-17:00'] });
    const now = at('2026-01-09T19:00-06:00'); // Friday evening
    const opening = nextOpening(shop, CHICAGO, now);
    expect(opening && `We're closed and open ${describeOpening(opening, now, CHICAGO)}.`).toBe("We're closed and open Monday at 8:00 AM.");
  });
});
