import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeOpening, inWindow, isOpenAt, nextOpening, windowEnd } from './index.js';
import { at, scheduleOf, windowOf } from './testing/schedules.js';

/** A Date that refuses to tell the time: `Date.now()` and `new Date()` throw, as a replay would diverge. */
class ClocklessDate extends Date {
  constructor(...args: [] | [string | number | Date]) {
    if (args.length === 0) throw new Error('new Date() read the clock');
    super(args[0]);
  }

  static override now(): number {
    throw new Error('Date.now() read the clock');
  }
}

describe('determinism (the functions run inside a Temporal workflow)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('never reads the clock, luxon included, and gives the same answers twice', () => {
    const hours = scheduleOf({ 'mon-fri': ['08:00-17:00'] }, ['2026-12-25']);
    const quiet = windowOf('21:00-08:00');
    const now = at('2026-12-24T22:00-06:00');
    const answers = () => {
      const opening = nextOpening(hours, 'America/Chicago', now);
      return [
        isOpenAt(hours, 'America/Chicago', now),
        opening?.toISOString(),
        opening && describeOpening(opening, now, 'America/Chicago'),
        inWindow(quiet, 'America/Chicago', now),
        windowEnd(quiet, 'America/Chicago', now).toISOString(),
      ];
    };
    vi.stubGlobal('Date', ClocklessDate);
    const first = answers();
    expect(first).toEqual([false, at('2026-12-28T08:00-06:00').toISOString(), 'Monday at 8:00 AM', true, at('2026-12-25T08:00-06:00').toISOString()]);
    expect(answers()).toEqual(first);
  });
});
