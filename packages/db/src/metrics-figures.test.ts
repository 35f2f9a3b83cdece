import { describe, expect, it } from 'vitest';
import { emptyAggregate, histogramOf, mergeAggregates, percentile, sumAggregates } from './metrics-figures.js';

/** PostgreSQL's percentile_cont over the values themselves. */
function exactPercentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

describe('duration histograms', () => {
  it('give percentile_cont exactly when no two values share a bucket', () => {
    const values = [30, 45, 60, 90, 84, 0, 120, 3600];
    for (const fraction of [0, 0.1, 0.5, 0.9, 1]) expect(percentile(histogramOf(values), fraction)).toBeCloseTo(exactPercentile(values, fraction), 9);
  });

  it('stay within 1% of percentile_cont for thousands of close values', () => {
    // A pseudo-random spread of seconds to text, 1 s to 10 minutes, many sharing buckets.
    const values = Array.from({ length: 5000 }, (_, i) => 1 + ((i * 7919) % 600) + ((i * 104729) % 1000) / 1000);
    for (const fraction of [0.5, 0.9]) {
      const exact = exactPercentile(values, fraction);
      expect(Math.abs(percentile(histogramOf(values), fraction)! - exact) / exact).toBeLessThan(0.01);
    }
  });

  it('add up in any order: the sum of days is the histogram of all their values', () => {
    const days = [[30, 60], [45], [], [90, 30.1, 600]];
    const aggregates = days.map((values) => ({ ...emptyAggregate(), textedCalls: values.length, secondsToText: histogramOf(values) }));
    const forwards = sumAggregates(aggregates);
    const backwards = sumAggregates([...aggregates].reverse());
    const all = histogramOf(days.flat());
    expect(forwards.secondsToText).toEqual(all);
    expect(backwards.secondsToText).toEqual(all);
    expect(forwards.textedCalls).toBe(6);
  });

  it('have no percentile when empty, and merging leaves both sides as they were', () => {
    expect(percentile([], 0.5)).toBeNull();
    const a = { ...emptyAggregate(), skippedByReason: { x: 1 }, secondsToText: histogramOf([10]) };
    const b = { ...emptyAggregate(), skippedByReason: { x: 2, y: 1 }, secondsToText: histogramOf([10, 20]) };
    const merged = mergeAggregates(a, b);
    expect(merged.skippedByReason).toEqual({ x: 3, y: 1 });
    expect(a.skippedByReason).toEqual({ x: 1 });
    expect(a.secondsToText).toEqual(histogramOf([10]));
  });
});
