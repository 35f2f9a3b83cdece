import { describe, expect, it } from 'vitest';
import { clockTime, isTimeZone, parseBusinessHours, parseDailyWindow } from './schedule.js';

describe('parseBusinessHours', () => {
  it('reads the DESIGN example: day ranges, several intervals a day, closed dates', () => {
    const result = parseBusinessHours({
      timeZone: 'America/Chicago',
      weekly: { 'mon-fri': ['08:00-12:00', '13:00-18:00'], sat: ['09:00-13:00'] },
      closed: ['2027-01-01', '2026-12-25'],
    });
    const weekday = [
      { start: 480, end: 720 },
      { start: 780, end: 1080 },
    ];
    expect(result).toEqual({
      ok: true,
      value: {
        timeZone: 'America/Chicago',
        weekly: [weekday, weekday, weekday, weekday, weekday, [{ start: 540, end: 780 }], []],
        closed: ['2026-12-25', '2027-01-01'],
      },
    });
  });

  it('leaves the zone to the sub-account when none is given, and days not listed closed', () => {
    expect(parseBusinessHours({ weekly: { wed: ['10:00-11:00'] } })).toEqual({
      ok: true,
      value: { timeZone: null, weekly: [[], [], [{ start: 600, end: 660 }], [], [], [], []], closed: [] },
    });
  });

  it('reads wrapping ranges, comma lists, any case and spaces, "24:00" as an end, and sorts intervals', () => {
    const result = parseBusinessHours({
      weekly: { 'SAT - Mon': ['18:00-24:00', '00:00-02:00'], 'tue, thu': ['13:00-17:00', '08:00-12:00'] },
    });
    expect(result.ok && result.value.weekly).toEqual([
      [
        { start: 0, end: 120 },
        { start: 1080, end: 1440 },
      ],
      [
        { start: 480, end: 720 },
        { start: 780, end: 1020 },
      ],
      [],
      [
        { start: 480, end: 720 },
        { start: 780, end: 1020 },
      ],
      [],
      [
        { start: 0, end: 120 },
        { start: 1080, end: 1440 },
      ],
      [
        { start: 0, end: 120 },
        { start: 1080, end: 1440 },
      ],
    ]);
  });

  it('accepts "00:00-24:00" as a whole day and back-to-back intervals', () => {
    const result = parseBusinessHours({ weekly: { sun: ['00:00-24:00'], mon: ['08:00-12:00', '12:00-13:00'] } });
    expect(result.ok && result.value.weekly[6]).toEqual([{ start: 0, end: 1440 }]);
    expect(result.ok && result.value.weekly[0]).toHaveLength(2);
  });

  it('rejects what is not a mapping', () => {
    for (const raw of [undefined, null, 'mon-fri 9-5', ['mon'], 7]) {
      expect(parseBusinessHours(raw)).toEqual({
        ok: false,
        issues: [{ path: [], message: 'must be a mapping with weekly (and optionally timeZone and closed)' }],
      });
    }
  });

  it('requires weekly, and weekly to be a mapping', () => {
    expect(parseBusinessHours({})).toEqual({ ok: false, issues: [{ path: ['weekly'], message: 'is required' }] });
    expect(parseBusinessHours({ weekly: ['mon'] })).toEqual({
      ok: false,
      issues: [{ path: ['weekly'], message: 'must be a mapping of days to intervals, e.g. mon-fri: ["08:00-17:00"]' }],
    });
  });

  it('lists every problem of a broken block, each with its path', () => {
    const result = parseBusinessHours({
      timezone: 'America/Chicago',
      timeZone: 'America/Springfield',
      weekly: {
        weekdays: ['08:00-17:00'],
        'mon-fri': ['8:00-17:00', '12:00-09:00', '24:00-24:00', 900],
        fri: ['09:00-10:00'],
        'sat,sat': ['09:00-12:00'],
        sun: '09:00-12:00',
        tue: ['09:00-12:00'],
      },
      closed: ['2026-02-29', '2026-12-25', ' 2026-12-25', 20261225],
    });
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: ['timezone'], message: 'unknown key "timezone"' },
        { path: ['timeZone'], message: '"America/Springfield" is not an IANA time zone such as "America/Chicago"' },
        {
          path: ['weekly', 'weekdays'],
          message: '"weekdays" is not a day or a range of days: use mon, tue, wed, thu, fri, sat, sun, a range such as "mon-fri", or a list such as "mon,wed"',
        },
        { path: ['weekly', 'mon-fri', 0], message: '"8:00-17:00" is not an interval such as "08:00-17:00" (24-hour HH:MM, "24:00" only as an end)' },
        {
          path: ['weekly', 'mon-fri', 1],
          message: '"12:00-09:00" ends before it starts: past midnight, write "18:00-24:00" on one day and "00:00-02:00" on the next',
        },
        { path: ['weekly', 'mon-fri', 2], message: '"24:00-24:00" is not an interval such as "08:00-17:00" (24-hour HH:MM, "24:00" only as an end)' },
        { path: ['weekly', 'mon-fri', 3], message: 'expected an interval such as "08:00-17:00"' },
        { path: ['weekly', 'fri'], message: 'fri is already given by "mon-fri"' },
        { path: ['weekly', 'sat,sat'], message: '"sat,sat" names a day twice' },
        { path: ['weekly', 'sun'], message: 'must be a list of intervals such as ["08:00-12:00", "13:00-17:00"] ([] for closed)' },
        { path: ['weekly', 'tue'], message: 'tue is already given by "mon-fri"' },
        { path: ['closed', 0], message: '"2026-02-29" is not a date such as "2026-12-25"' },
        { path: ['closed', 2], message: '2026-12-25 is already listed at closed[1]' },
        { path: ['closed', 3], message: '20261225 is not a date such as "2026-12-25"' },
      ],
    });
  });

  it('names overlapping intervals of a day', () => {
    expect(parseBusinessHours({ weekly: { mon: ['13:00-18:00', '08:00-13:30'] } })).toEqual({
      ok: false,
      issues: [{ path: ['weekly', 'mon'], message: 'intervals 08:00-13:30 and 13:00-18:00 overlap' }],
    });
  });

  it('rejects a closed list that is not a list, and a zone that is not a string', () => {
    expect(parseBusinessHours({ timeZone: 5, weekly: {}, closed: '2026-12-25' })).toEqual({
      ok: false,
      issues: [
        { path: ['timeZone'], message: '5 is not an IANA time zone such as "America/Chicago"' },
        { path: ['closed'], message: 'must be a list of dates such as ["2026-12-25"]' },
      ],
    });
  });

  it('knows a leap day when there is one', () => {
    expect(parseBusinessHours({ weekly: {}, closed: ['2028-02-29'] })).toMatchObject({ ok: true, value: { closed: ['2028-02-29'] } });
  });
});

describe('parseDailyWindow', () => {
  it('reads a window that runs past midnight, and one that does not', () => {
    expect(parseDailyWindow('21:00-08:00')).toEqual({ ok: true, value: { start: 1260, end: 480 } });
    expect(parseDailyWindow('12:00 - 13:30')).toEqual({ ok: true, value: { start: 720, end: 810 } });
    expect(parseDailyWindow('22:00-24:00')).toEqual({ ok: true, value: { start: 1320, end: 1440 } });
  });

  it('says what is wrong with a window it cannot use', () => {
    expect(parseDailyWindow(2100)).toEqual({ ok: false, issues: [{ path: [], message: 'expected a window such as "21:00-08:00"' }] });
    expect(parseDailyWindow('9pm-8am')).toEqual({
      ok: false,
      issues: [{ path: [], message: '"9pm-8am" is not an interval such as "08:00-17:00" (24-hour HH:MM, "24:00" only as an end)' }],
    });
    expect(parseDailyWindow('08:00-08:00')).toEqual({ ok: false, issues: [{ path: [], message: '"08:00-08:00" is empty: it starts when it ends' }] });
    expect(parseDailyWindow('00:00-24:00')).toEqual({
      ok: false,
      issues: [{ path: [], message: '"00:00-24:00" covers the whole day: a daily window must leave part of the day out' }],
    });
  });
});

describe('isTimeZone and clockTime', () => {
  it('knows IANA zones and nothing else', () => {
    expect(isTimeZone('Australia/Sydney')).toBe(true);
    expect(isTimeZone('America/Springfield')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('writes minutes after midnight as a clock time', () => {
    expect([0, 480, 1439, 1440].map(clockTime)).toEqual(['00:00', '08:00', '23:59', '24:00']);
  });
});
