import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { inWindow, windowEnd } from './quiet-window.js';
import { dailyWindow, farFromDstChange, instant, wallClock, zone } from './testing/arbitraries.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Cases per fuzzing property (MCTB_FUZZ_RUNS), provided by the workspace's global setup. */
    fuzzRuns: number;
  }
}

const runs = inject('fuzzRuns');
/** Instants checked between `at` and the window's end, spread evenly from a random phase. */
const SAMPLES = 40;

describe('inWindow and windowEnd, for random windows, zones and instants (fast-check)', () => {
  it('windowEnd is `at` outside the window; inside, every sampled instant up to it is inside and it is not', () => {
    fc.assert(
      fc.property(dailyWindow, zone, instant, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (window, zoneName, at, phase) => {
        const [from, to] = [at.getTime(), windowEnd(window, zoneName, at).getTime()];
        expect(to).toBeGreaterThanOrEqual(from);
        expect(inWindow(window, zoneName, at)).toBe(to > from);
        if (to === from) return;
        expect(to - from).toBeLessThanOrEqual(25 * 3_600_000);
        expect(inWindow(window, zoneName, new Date(to))).toBe(false);
        expect(inWindow(window, zoneName, new Date(to - 1))).toBe(true);
        for (let i = 0; i < SAMPLES; i += 1) {
          const sample = new Date(Math.min(to - 1, from + Math.floor(((to - from) * (i + phase)) / SAMPLES)));
          expect(inWindow(window, zoneName, sample), sample.toISOString()).toBe(true);
        }
      }),
      { numRuns: runs },
    );
  });

  it('away from DST changes, inWindow agrees with the wall clock', () => {
    fc.assert(
      fc.property(dailyWindow, zone, instant, (window, zoneName, at) => {
        if (!farFromDstChange(zoneName, at)) return;
        const { minute } = wallClock(zoneName, at);
        const end = window.end <= window.start ? window.end + 1440 : window.end;
        const expected = (window.start <= minute && minute < end) || (window.start <= minute + 1440 && minute + 1440 < end);
        expect(inWindow(window, zoneName, at)).toBe(expected);
      }),
      { numRuns: runs },
    );
  });
});
