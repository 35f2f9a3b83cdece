import { describe, expect, it } from 'vitest';
import { inWindow, windowEnd } from './quiet-window.js';
import { at, windowOf } from './testing/schedules.js';

const CHICAGO = 'America/Chicago';
const quietHours = windowOf('21:00-08:00');

/** For each instant: inside the window, and when it ends (the instant itself when outside). */
function check(window: ReturnType<typeof windowOf>, zone: string, instants: string[]): Record<string, [boolean, string]> {
  return Object.fromEntries(
    instants.map((instant) => [instant, [inWindow(window, zone, at(instant)), windowEnd(window, zone, at(instant)).toISOString()]]),
  );
}

const iso = (instant: string) => at(instant).toISOString();

describe('quiet hours that run past midnight', () => {
  it('hold a text from the start of the window to its end the next morning', () => {
    const evening = ['2026-01-05T20:59-06:00', '2026-01-05T21:00-06:00', '2026-01-06T03:00-06:00', '2026-01-06T07:59-06:00', '2026-01-06T08:00-06:00'];
    expect(check(quietHours, CHICAGO, evening)).toEqual({
      '2026-01-05T20:59-06:00': [false, iso('2026-01-05T20:59-06:00')],
      '2026-01-05T21:00-06:00': [true, iso('2026-01-06T08:00-06:00')],
      '2026-01-06T03:00-06:00': [true, iso('2026-01-06T08:00-06:00')],
      '2026-01-06T07:59-06:00': [true, iso('2026-01-06T08:00-06:00')],
      '2026-01-06T08:00-06:00': [false, iso('2026-01-06T08:00-06:00')],
    });
  });

  it('read in the zone given: the same instant is quiet in Chicago and not in Berlin', () => {
    expect(inWindow(quietHours, CHICAGO, at('2026-01-06T12:30Z'))).toBe(true);
    expect(inWindow(quietHours, 'Europe/Berlin', at('2026-01-06T12:30Z'))).toBe(false);
  });

  it('end at 08:00 daylight time after the spring-forward night, one hour shorter (Chicago and New York)', () => {
    expect(windowEnd(quietHours, CHICAGO, at('2026-03-07T22:00-06:00')).toISOString()).toBe(iso('2026-03-08T08:00-05:00'));
    expect(windowEnd(quietHours, 'America/New_York', at('2026-03-08T03:30-04:00')).toISOString()).toBe(iso('2026-03-08T08:00-04:00'));
  });

  it('end at 08:00 standard time after the fall-back night and cover both readings of 01:30', () => {
    expect(check(quietHours, CHICAGO, ['2026-11-01T01:30-05:00', '2026-11-01T01:30-06:00'])).toEqual({
      '2026-11-01T01:30-05:00': [true, iso('2026-11-01T08:00-06:00')],
      '2026-11-01T01:30-06:00': [true, iso('2026-11-01T08:00-06:00')],
    });
  });

  it('end when the clock jumps past a skipped end time', () => {
    const lateNight = windowOf('23:00-02:30');
    expect(check(lateNight, CHICAGO, ['2026-03-08T01:59-06:00', '2026-03-08T03:00-05:00'])).toEqual({
      '2026-03-08T01:59-06:00': [true, iso('2026-03-08T03:00-05:00')],
      '2026-03-08T03:00-05:00': [false, iso('2026-03-08T03:00-05:00')],
    });
  });

  it('end at the first reading of a repeated end time', () => {
    const lateNight = windowOf('23:00-01:30');
    expect(check(lateNight, 'America/New_York', ['2026-11-01T01:00-04:00', '2026-11-01T01:15-05:00'])).toEqual({
      '2026-11-01T01:00-04:00': [true, iso('2026-11-01T01:30-04:00')],
      '2026-11-01T01:15-05:00': [false, iso('2026-11-01T01:15-05:00')],
    });
  });

  it('work east of UTC across Sydney DST (2026-04-05, 2026-10-04)', () => {
    const sydney = 'Australia/Sydney';
    expect(windowEnd(quietHours, sydney, at('2026-04-04T22:00+11:00')).toISOString()).toBe(iso('2026-04-05T08:00+10:00'));
    expect(windowEnd(quietHours, sydney, at('2026-10-03T22:00+10:00')).toISOString()).toBe(iso('2026-10-04T08:00+11:00'));
  });

  it('never shift in Phoenix', () => {
    expect(windowEnd(quietHours, 'America/Phoenix', at('2026-03-07T22:00-07:00')).toISOString()).toBe(iso('2026-03-08T08:00-07:00'));
  });
});

describe('daily windows within one day', () => {
  it('hold from start to end, and to midnight when they end at 24:00', () => {
    expect(check(windowOf('12:00-13:00'), CHICAGO, ['2026-01-05T11:59-06:00', '2026-01-05T12:00-06:00', '2026-01-05T13:00-06:00'])).toEqual({
      '2026-01-05T11:59-06:00': [false, iso('2026-01-05T11:59-06:00')],
      '2026-01-05T12:00-06:00': [true, iso('2026-01-05T13:00-06:00')],
      '2026-01-05T13:00-06:00': [false, iso('2026-01-05T13:00-06:00')],
    });
    expect(windowEnd(windowOf('22:00-24:00'), CHICAGO, at('2026-12-31T23:00-06:00')).toISOString()).toBe(iso('2027-01-01T00:00-06:00'));
  });
});
