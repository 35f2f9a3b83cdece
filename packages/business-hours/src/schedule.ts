import { IANAZone } from 'luxon';

/**
 * A business's opening hours as a snapshot declares them (DESIGN §4a):
 *
 *   businessHours:
 *     timeZone: America/Chicago          optional: the sub-account's zone when omitted
 *     weekly:                            days not listed are closed
 *       mon-fri: ["08:00-12:00", "13:00-18:00"]
 *       sat: ["09:00-13:00"]
 *     closed: ["2026-12-25"]             whole local days closed, whatever the weekly schedule says
 *
 * A weekly key is a day (mon … sun), a range in week order ("mon-fri", "fri-sun"; "sat-mon" wraps
 * past Sunday) or a comma list ("mon,wed,fri"). Intervals are "HH:MM-HH:MM" in local time; "24:00"
 * may end one. An interval never runs past midnight: write "18:00-24:00" and "00:00-02:00" on the
 * next day. The parsed form is plain JSON, so a workflow's input (its history) can hold it.
 */
export interface BusinessHours {
  /** IANA zone; null means "the sub-account's zone", resolved when the hours are used. */
  timeZone: string | null;
  /** Monday first (index 0) to Sunday (index 6); each day's intervals sorted and apart. */
  weekly: DayInterval[][];
  /** Local dates (YYYY-MM-DD), sorted, each once. */
  closed: string[];
}

/**
 * Minutes after local midnight: start in 0..1439, end in start+1..1440. Only a daily window (from
 * parseDailyWindow) may end before it starts: it then runs past midnight into the next day.
 */
export interface DayInterval {
  start: number;
  end: number;
}

/** A problem at a path under the block that was parsed (keys and list indexes). */
export interface ScheduleIssue {
  path: (string | number)[];
  message: string;
}

export type ScheduleParse<T> = { ok: true; value: T } | { ok: false; issues: ScheduleIssue[] };

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^(24):(00)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A valid IANA time zone name (e.g. "America/Chicago"), as the platform's ICU data knows it. */
export function isTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** Reads a `businessHours` block; lists every problem with its path. */
export function parseBusinessHours(raw: unknown): ScheduleParse<BusinessHours> {
  if (!isRecord(raw)) return fail([], 'must be a mapping with weekly (and optionally timeZone and closed)');
  const issues: ScheduleIssue[] = [];
  for (const key of Object.keys(raw)) {
    if (!['timeZone', 'weekly', 'closed'].includes(key)) issues.push({ path: [key], message: `unknown key "${key}"` });
  }
  const timeZone = parseTimeZone(raw.timeZone, issues);
  const weekly = parseWeekly(raw.weekly, issues);
  const closed = parseClosedDates(raw.closed, issues);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { timeZone, weekly, closed } };
}

/**
 * Reads a daily window such as quiet hours, "21:00-08:00": it may run past midnight (then its end is
 * before its start), but it may neither be empty nor cover the whole day. Returned as minutes after
 * local midnight.
 */
export function parseDailyWindow(raw: unknown): ScheduleParse<DayInterval> {
  if (typeof raw !== 'string') return fail([], 'expected a window such as "21:00-08:00"');
  const bounds = parseBounds(raw);
  if (typeof bounds === 'string') return fail([], bounds);
  if (bounds.start === 0 && bounds.end === 1440) return fail([], `"${raw}" covers the whole day: a daily window must leave part of the day out`);
  if (bounds.start === bounds.end) return fail([], `"${raw}" is empty: it starts when it ends`);
  return { ok: true, value: bounds };
}

function parseTimeZone(raw: unknown, issues: ScheduleIssue[]): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string' || !isTimeZone(raw)) {
    issues.push({ path: ['timeZone'], message: `${JSON.stringify(raw)} is not an IANA time zone such as "America/Chicago"` });
    return null;
  }
  return raw;
}

function parseWeekly(raw: unknown, issues: ScheduleIssue[]): DayInterval[][] {
  const weekly: DayInterval[][] = WEEKDAYS.map(() => []);
  if (!isRecord(raw)) {
    issues.push({ path: ['weekly'], message: raw === undefined ? 'is required' : 'must be a mapping of days to intervals, e.g. mon-fri: ["08:00-17:00"]' });
    return weekly;
  }
  const keyOfDay = new Map<number, string>();
  for (const [key, value] of Object.entries(raw)) {
    const days = parseDays(key);
    if (typeof days === 'string') {
      issues.push({ path: ['weekly', key], message: days });
      continue;
    }
    for (const day of days) {
      const earlier = keyOfDay.get(day);
      if (earlier !== undefined) issues.push({ path: ['weekly', key], message: `${WEEKDAYS[day]} is already given by "${earlier}"` });
      else keyOfDay.set(day, key);
    }
    const intervals = parseIntervals(value, ['weekly', key], issues);
    for (const day of days) if (keyOfDay.get(day) === key) weekly[day] = intervals;
  }
  return weekly;
}

/** "mon", "mon-fri", "sat-mon" (wraps), "mon,wed,fri" → day indexes (Monday 0); or why not. */
function parseDays(key: string): number[] | string {
  const days: number[] = [];
  for (const part of key.split(',').map((text) => text.trim().toLowerCase())) {
    const [from, to, ...rest] = part.split('-').map((name) => name.trim());
    const first = WEEKDAYS.indexOf(from as Weekday);
    const last = to === undefined ? first : WEEKDAYS.indexOf(to as Weekday);
    if (rest.length > 0 || first < 0 || last < 0) {
      return `"${key}" is not a day or a range of days: use mon, tue, wed, thu, fri, sat, sun, a range such as "mon-fri", or a list such as "mon,wed"`;
    }
    for (let day = first; ; day = (day + 1) % 7) {
      days.push(day);
      if (day === last) break;
    }
  }
  const unique = [...new Set(days)];
  return unique.length === days.length ? unique : `"${key}" names a day twice`;
}

function parseIntervals(raw: unknown, path: (string | number)[], issues: ScheduleIssue[]): DayInterval[] {
  if (!Array.isArray(raw)) {
    issues.push({ path, message: 'must be a list of intervals such as ["08:00-12:00", "13:00-17:00"] ([] for closed)' });
    return [];
  }
  const intervals: DayInterval[] = [];
  for (const [index, item] of raw.entries()) {
    const bounds = typeof item === 'string' ? parseBounds(item) : 'expected an interval such as "08:00-17:00"';
    if (typeof bounds === 'string') issues.push({ path: [...path, index], message: bounds });
    else if (bounds.end <= bounds.start) {
      issues.push({
        path: [...path, index],
        message: `"${item as string}" ends before it starts: past midnight, write "18:00-24:00" on one day and "00:00-02:00" on the next`,
      });
    } else intervals.push(bounds);
  }
  intervals.sort((a, b) => a.start - b.start);
  for (let i = 1; i < intervals.length; i += 1) {
    const [before, after] = [intervals[i - 1]!, intervals[i]!];
    if (after.start < before.end) issues.push({ path, message: `intervals ${clock(before)} and ${clock(after)} overlap` });
  }
  return intervals;
}

/** "08:00-17:30" → minutes; "24:00" only as an end. */
function parseBounds(text: string): DayInterval | string {
  const [from, to, ...rest] = text.split('-').map((part) => part.trim());
  const start = from === undefined ? undefined : minutes(from);
  const end = to === undefined ? undefined : minutes(to);
  if (rest.length > 0 || start === undefined || end === undefined || start === 1440) {
    return `"${text}" is not an interval such as "08:00-17:00" (24-hour HH:MM, "24:00" only as an end)`;
  }
  return { start, end };
}

function minutes(text: string): number | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  return Number(match[1] ?? match[3]) * 60 + Number(match[2] ?? match[4]);
}

function parseClosedDates(raw: unknown, issues: ScheduleIssue[]): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    issues.push({ path: ['closed'], message: 'must be a list of dates such as ["2026-12-25"]' });
    return [];
  }
  const dates = new Map<string, number>();
  for (const [index, item] of raw.entries()) {
    const date = typeof item === 'string' ? calendarDate(item) : undefined;
    if (date === undefined) issues.push({ path: ['closed', index], message: `${JSON.stringify(item)} is not a date such as "2026-12-25"` });
    else if (dates.has(date)) issues.push({ path: ['closed', index], message: `${date} is already listed at closed[${dates.get(date)}]` });
    else dates.set(date, index);
  }
  return [...dates.keys()].sort();
}

/** "2026-02-29" is not a date; "2028-02-29" is. */
function calendarDate(text: string): string | undefined {
  const match = DATE.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day ? text.trim() : undefined;
}

/** 480 → "08:00" (for messages). */
export function clockTime(minutesAfterMidnight: number): string {
  const hours = Math.floor(minutesAfterMidnight / 60);
  return `${String(hours).padStart(2, '0')}:${String(minutesAfterMidnight % 60).padStart(2, '0')}`;
}

function clock(interval: DayInterval): string {
  return `${clockTime(interval.start)}-${clockTime(interval.end)}`;
}

function fail<T>(path: (string | number)[], message: string): ScheduleParse<T> {
  return { ok: false, issues: [{ path, message }] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
