import type { EntityManager } from '@mikro-orm/postgresql';
import { driverQuery } from './driver.js';
import {
  emptyAggregate,
  figuresOf,
  histogramOf,
  mergeAggregates,
  rangeOf,
  type FiguresAggregate,
  type MetricsDay,
  type MetricsRange,
} from './metrics-figures.js';
import { AGENCY_SQL, SUB_ACCOUNTS_SQL, TODAY_SQL } from './metrics-sql.js';

/** The statements as run, for EXPLAIN in the dashboard bench: $1 ids (or agency id), $2 from, $3 to, $4 now (TODAY: $1 ids, $2 now). */
export const METRICS_STATEMENTS = { subAccounts: SUB_ACCOUNTS_SQL, agency: AGENCY_SQL, today: TODAY_SQL } as const;

/** A measured group's JSON (durations as raw seconds) as an aggregate. */
export function aggregateOfMeasured(live: Record<string, unknown>): FiguresAggregate {
  const { secondsToText, secondsToHuman, ...counts } = live as Omit<FiguresAggregate, 'secondsToText' | 'secondsToHuman'> & { secondsToText: number[]; secondsToHuman: number[] };
  return { ...emptyAggregate(), ...counts, secondsToText: histogramOf(secondsToText), secondsToHuman: histogramOf(secondsToHuman) };
}

/** A row of the metrics statements: measured (`live`) or rolled up (`rolled`). */
function aggregateOfRow(row: Record<string, unknown>): FiguresAggregate {
  return row.live ? aggregateOfMeasured(row.live as Record<string, unknown>) : (row.rolled as FiguresAggregate);
}

/**
 * Metrics by day in each sub-account's own time zone. A sub-account's days before today, up to the
 * last rollup (MetricsRollup, run by the worker), are read from metrics_days, and its today is
 * measured from the stored calls, messages, contacts and tasks; an agency's days are read from
 * agency_metrics_days as of the last rollup (sub-accounts it has not seen yet are measured).
 * Each method is one SQL statement whatever the number of sub-accounts.
 */
export class MetricsStore {
  constructor(private readonly em: EntityManager) {}

  /** Each sub-account's figures from `from` to `to` (local dates, inclusive), day by day and in all. */
  async forSubAccounts(ids: readonly string[], from: string, to: string): Promise<Map<string, MetricsRange>> {
    const rows = ids.length === 0 ? [] : await driverQuery(this.em)(SUB_ACCOUNTS_SQL, [ids, from, to, new Date()]);
    const byAccount = new Map<string, Map<string, FiguresAggregate>>(ids.map((id) => [id, new Map()]));
    for (const row of rows) byAccount.get(row.sub_account_id as string)?.set(row.day as string, aggregateOfRow(row));
    return new Map([...byAccount].map(([id, days]) => [id, rangeOf(from, to, days)]));
  }

  /**
   * The agency's figures: each day sums its sub-accounts' figures for that local date, each in its
   * own zone; medians are over all the calls of the day. A sub-account key sees its own only.
   */
  async forAgency(scope: { agencyId: string; subAccountId: string | null }, from: string, to: string): Promise<MetricsRange> {
    if (scope.subAccountId) return (await this.forSubAccounts([scope.subAccountId], from, to)).get(scope.subAccountId)!;
    const rows = await driverQuery(this.em)(AGENCY_SQL, [scope.agencyId, from, to]);
    const days = new Map<string, FiguresAggregate>();
    // A day may come both rolled up and measured (for sub-accounts the rollup has not seen yet).
    for (const row of rows) {
      const day = row.day as string;
      const earlier = days.get(day);
      days.set(day, earlier ? mergeAggregates(earlier, aggregateOfRow(row)) : aggregateOfRow(row));
    }
    return rangeOf(from, to, days);
  }

  /** Each sub-account's figures for today in its own zone (`now` decides what today is). */
  async today(ids: readonly string[], now: Date = new Date()): Promise<Map<string, MetricsDay>> {
    const rows = ids.length === 0 ? [] : await driverQuery(this.em)(TODAY_SQL, [ids, now]);
    const result = new Map<string, MetricsDay>();
    // The measured row (if any) follows the day's date row only by chance: take whichever holds figures.
    for (const row of rows) {
      const id = row.sub_account_id as string;
      if (row.live) result.set(id, { date: row.day as string, ...figuresOf(aggregateOfMeasured(row.live as Record<string, unknown>)) });
      else if (!result.has(id)) result.set(id, { date: row.day as string, ...figuresOf(emptyAggregate()) });
    }
    return result;
  }
}
