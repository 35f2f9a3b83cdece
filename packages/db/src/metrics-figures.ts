/** The outcomes a missed call ends in (every outcome but a human answer). */
export const MISSED_OUTCOMES = ['no_answer', 'declined', 'voicemail', 'failed', 'abandoned', 'answered_by_ai'] as const;
export type MissedOutcome = (typeof MISSED_OUTCOMES)[number];

/** A reply counts for a missed call's text when it comes within this long of the text. */
export const REPLY_WINDOW_DAYS = 7;

/** The figures of one day, or of a whole range. */
export interface MetricsFigures {
  /** Calls that ended unanswered by a person (every outcome but `answered`). */
  missedCalls: number;
  byOutcome: Record<MissedOutcome, number>;
  /** Texts about the day's missed calls the provider accepted (first texts and follow-ups). */
  textsSent: number;
  textsDelivered: number;
  /** Refused by us (e.g. opted out) or the provider, or undelivered. */
  textsFailed: number;
  /** Missed calls whose text-back was skipped, in all and by reason. */
  textsSkipped: number;
  skippedByReason: { reason: string; count: number }[];
  /** Missed calls that got a text (the reply rate's denominator). */
  textedCalls: number;
  /** Texted missed calls whose caller texted back within REPLY_WINDOW_DAYS of the first text. */
  replies: number;
  /** replies / textedCalls; null when nothing was texted. */
  replyRate: number | null;
  /** Seconds from the missed call's end to its first text (null when none was texted). */
  secondsToTextMedian: number | null;
  secondsToTextP90: number | null;
  /** Seconds from a caller's first reply to the first text a person sent them after it. */
  secondsToFirstHumanResponseMedian: number | null;
  /** Contacts who opted out that day. */
  optOuts: number;
  /** Missed calls whose caller replied, or whose callback task (a task of the call's run) was completed. */
  recoveredLeads: number;
}

export interface MetricsDay extends MetricsFigures {
  /** The local date, YYYY-MM-DD. */
  date: string;
}

export interface MetricsRange {
  from: string;
  to: string;
  days: MetricsDay[];
  totals: MetricsFigures;
}

/**
 * Durations as a histogram of buckets 1% wide (log scale): `[bucket, count, sum]`, by bucket.
 * Days and sub-accounts add up without keeping every value, and a percentile read from the buckets
 * (each value taken as its bucket's mean) is exact when no two values share a bucket and within 1%
 * otherwise.
 */
export type Histogram = [bucket: number, count: number, sum: number][];

/** What a day's figures are made of, in a form that adds up across days and sub-accounts. */
export interface FiguresAggregate {
  missedCalls: number;
  byOutcome: Record<MissedOutcome, number>;
  textsSent: number;
  textsDelivered: number;
  textsFailed: number;
  textsSkipped: number;
  skippedByReason: Record<string, number>;
  textedCalls: number;
  replies: number;
  optOuts: number;
  recoveredLeads: number;
  secondsToText: Histogram;
  secondsToHuman: Histogram;
}

const LOG_STEP = Math.log(1.01);
/** Zero and below (clocks disagreeing by a little) share one bucket under every positive one. */
const NON_POSITIVE_BUCKET = -1_000_000;

function bucketOf(seconds: number): number {
  return seconds <= 0 ? NON_POSITIVE_BUCKET : Math.round(Math.log(seconds) / LOG_STEP);
}

export function histogramOf(values: readonly number[]): Histogram {
  const buckets = new Map<number, [number, number, number]>();
  for (const value of values) {
    const bucket = bucketOf(value);
    const entry = buckets.get(bucket);
    if (entry) {
      entry[1] += 1;
      entry[2] += value;
    } else buckets.set(bucket, [bucket, 1, value]);
  }
  return [...buckets.values()].sort((a, b) => a[0] - b[0]);
}

function mergeHistograms(a: Histogram, b: Histogram): Histogram {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const merged: Histogram = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x[0] < y[0])) {
      merged.push(x!);
      i++;
    } else if (x === undefined || y[0] < x[0]) {
      merged.push(y);
      j++;
    } else {
      merged.push([x[0], x[1] + y[1], x[2] + y[2]]);
      i++;
      j++;
    }
  }
  return merged;
}

/** The `fraction` percentile as PostgreSQL's percentile_cont computes it, each value its bucket's mean. */
export function percentile(histogram: Histogram, fraction: number): number | null {
  const count = histogram.reduce((n, [, c]) => n + c, 0);
  if (count === 0) return null;
  const position = fraction * (count - 1);
  const lower = Math.floor(position);
  const low = valueAtRank(histogram, lower);
  const high = position === lower ? low : valueAtRank(histogram, lower + 1);
  return low + (high - low) * (position - lower);
}

function valueAtRank(histogram: Histogram, rank: number): number {
  let seen = 0;
  for (const [, count, sum] of histogram) {
    seen += count;
    if (rank < seen) return sum / count;
  }
  const last = histogram[histogram.length - 1]!;
  return last[2] / last[1];
}

export function emptyAggregate(): FiguresAggregate {
  return {
    missedCalls: 0,
    byOutcome: Object.fromEntries(MISSED_OUTCOMES.map((o) => [o, 0])) as Record<MissedOutcome, number>,
    textsSent: 0,
    textsDelivered: 0,
    textsFailed: 0,
    textsSkipped: 0,
    skippedByReason: {},
    textedCalls: 0,
    replies: 0,
    optOuts: 0,
    recoveredLeads: 0,
    secondsToText: [],
    secondsToHuman: [],
  };
}

const COUNTS = ['missedCalls', 'textsSent', 'textsDelivered', 'textsFailed', 'textsSkipped', 'textedCalls', 'replies', 'optOuts', 'recoveredLeads'] as const;

/** Both added up; neither is changed. */
export function mergeAggregates(a: FiguresAggregate, b: FiguresAggregate): FiguresAggregate {
  const merged = { ...a, byOutcome: { ...a.byOutcome }, skippedByReason: { ...a.skippedByReason } };
  for (const key of COUNTS) merged[key] += b[key];
  for (const outcome of MISSED_OUTCOMES) merged.byOutcome[outcome] += b.byOutcome[outcome] ?? 0;
  for (const [reason, count] of Object.entries(b.skippedByReason)) merged.skippedByReason[reason] = (merged.skippedByReason[reason] ?? 0) + count;
  merged.secondsToText = mergeHistograms(a.secondsToText, b.secondsToText);
  merged.secondsToHuman = mergeHistograms(a.secondsToHuman, b.secondsToHuman);
  return merged;
}

export function sumAggregates(aggregates: Iterable<FiguresAggregate>): FiguresAggregate {
  let total = emptyAggregate();
  for (const aggregate of aggregates) total = mergeAggregates(total, aggregate);
  return total;
}

/** Seconds to the millisecond: interpolation leaves float dust (84.00000000000001). */
const seconds = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

export function figuresOf(aggregate: FiguresAggregate): MetricsFigures {
  return {
    missedCalls: aggregate.missedCalls,
    byOutcome: { ...aggregate.byOutcome },
    textsSent: aggregate.textsSent,
    textsDelivered: aggregate.textsDelivered,
    textsFailed: aggregate.textsFailed,
    textsSkipped: aggregate.textsSkipped,
    skippedByReason: Object.entries(aggregate.skippedByReason)
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    textedCalls: aggregate.textedCalls,
    replies: aggregate.replies,
    replyRate: aggregate.textedCalls === 0 ? null : aggregate.replies / aggregate.textedCalls,
    secondsToTextMedian: seconds(percentile(aggregate.secondsToText, 0.5)),
    secondsToTextP90: seconds(percentile(aggregate.secondsToText, 0.9)),
    secondsToFirstHumanResponseMedian: seconds(percentile(aggregate.secondsToHuman, 0.5)),
    optOuts: aggregate.optOuts,
    recoveredLeads: aggregate.recoveredLeads,
  };
}

export function emptyFigures(): MetricsFigures {
  return figuresOf(emptyAggregate());
}

/** The days from..to (YYYY-MM-DD, inclusive). */
export function datesIn(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); at <= end; at += 86_400_000) dates.push(new Date(at).toISOString().slice(0, 10));
  return dates;
}

/** Whole days from `from` to `to` inclusive (both YYYY-MM-DD). */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** A range's figures from its days' aggregates: every day listed (zeros where nothing happened), totals over all. */
export function rangeOf(from: string, to: string, byDay: ReadonlyMap<string, FiguresAggregate>): MetricsRange {
  const days = datesIn(from, to).map((date) => ({ date, ...figuresOf(byDay.get(date) ?? emptyAggregate()) }));
  const inRange = [...byDay].filter(([date]) => date >= from && date <= to).map(([, aggregate]) => aggregate);
  return { from, to, days, totals: figuresOf(sumAggregates(inRange)) };
}
