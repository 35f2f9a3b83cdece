import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { isOpenAt } from './is-open.js';
import { nextOpening } from './next-opening.js';
import { businessHours, farFromDstChange, instant, schedule, wallClock, zone } from './testing/arbitraries.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Cases per fuzzing property (MCTB_FUZZ_RUNS), provided by the workspace's global setup. */
    fuzzRuns: number;
  }
}

const runs = inject('fuzzRuns');
/** Instants checked between `at` and the opening, spread evenly from a random phase. */
const SAMPLES = 40;

describe('nextOpening and isOpenAt, for random schedules, zones and instants (fast-check)', () => {
  it('nextOpening is open, not before `at`, and nothing sampled before it is open', () => {
    fc.assert(
      fc.property(schedule, zone, instant, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (generated, zoneName, at, phase) => {
        const hours = businessHours(generated, at);
        const opening = nextOpening(hours, zoneName, at);
        if (opening === null) {
          expect(hours.weekly.flat()).toEqual([]);
          return;
        }
        const [from, to] = [at.getTime(), opening.getTime()];
        expect(to).toBeGreaterThanOrEqual(from);
        expect(isOpenAt(hours, zoneName, opening)).toBe(true);
        expect(isOpenAt(hours, zoneName, at)).toBe(to === from);
        if (to === from) return;
        expect(isOpenAt(hours, zoneName, new Date(to - 1))).toBe(false);
        for (let i = 0; i < SAMPLES; i += 1) {
          const sample = new Date(Math.min(to - 1, from + Math.floor(((to - from) * (i + phase)) / SAMPLES)));
          expect(isOpenAt(hours, zoneName, sample), sample.toISOString()).toBe(false);
        }
      }),
      { numRuns: runs },
    );
  });

  it('away from DST changes, isOpenAt agrees with the wall clock', () => {
    fc.assert(
      fc.property(schedule, zone, instant, (generated, zoneName, at) => {
        if (!farFromDstChange(zoneName, at)) return;
        const hours = businessHours(generated, at);
        const clock = wallClock(zoneName, at);
        const intervals = hours.closed.includes(clock.date) ? [] : (hours.weekly[clock.weekday] ?? []);
        const expected = intervals.some((interval) => interval.start <= clock.minute && clock.minute < interval.end);
        expect(isOpenAt(hours, zoneName, at)).toBe(expected);
      }),
      { numRuns: runs },
    );
  });
});
