import type { EntityManager } from '@mikro-orm/postgresql';
import { driverTransaction, type DriverQuery } from './driver.js';
import { datesIn, REPLY_WINDOW_DAYS, sumAggregates, type FiguresAggregate } from './metrics-figures.js';
import { ROLLUP_SQL } from './metrics-sql.js';
import { aggregateOfMeasured } from './metrics-store.js';

/** Any number every worker agrees on: only the holder of this lock rolls up. */
export const METRICS_ROLLUP_LOCK = 7_361_204_117;

/**
 * Past days that still change, re-rolled every `resettleEverySeconds`: a text's replies count for
 * 7 days, its delivery reports and a run's follow-ups come later than the call, and a call near
 * midnight may be texted the next day. Other runs re-roll today and yesterday only.
 */
export const RESETTLING_DAYS = REPLY_WINDOW_DAYS + 2;

/** Day-spans measured per statement, so a first rollup of a year of history runs in bounded pieces. */
const DAYS_PER_STATEMENT = 3_000;

export interface RollupOptions {
  /** How often a run re-rolls all RESETTLING_DAYS instead of today and yesterday (default 10 minutes). */
  resettleEverySeconds?: number;
}

export interface RollupReport {
  subAccounts: number;
  /** Sub-account days measured (including days with nothing to count). */
  daysMeasured: number;
  agencyDays: number;
  /** Whether this run re-rolled every resettling day. */
  resettled: boolean;
}

interface SubAccountState {
  id: string;
  agencyId: string;
  timeZone: string;
  today: string;
  firstDay: string;
  rolledThrough: string | null;
}

interface Span {
  id: string;
  agencyId: string;
  from: string;
  to: string;
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const minDate = (a: string, b: string) => (a < b ? a : b);

/**
 * Rolls the metrics up by local day (DESIGN §9), today so far included: each sub-account's days
 * into metrics_days and each agency's (the sum of its sub-accounts' same local dates) into
 * agency_metrics_days, so a dashboard reads a row a day instead of every call. A first run rolls up
 * all history; later runs today and yesterday, every RESETTLING_DAYS now and then, any days since
 * the last run, and older days whose callback task was completed since. One run at a time
 * (advisory lock), in one transaction, so a reader never sees half a run. The only writer of those
 * three tables.
 */
export class MetricsRollup {
  private lastResettledAt: number | null = null;
  private readonly resettleEveryMs: number;

  constructor(
    private readonly em: EntityManager,
    options: RollupOptions = {},
  ) {
    this.resettleEveryMs = (options.resettleEverySeconds ?? 600) * 1000;
  }

  /** Null when another worker holds the lock. */
  async run(now: Date = new Date()): Promise<RollupReport | null> {
    const resettle = this.lastResettledAt === null || now.getTime() - this.lastResettledAt >= this.resettleEveryMs;
    const report = await driverTransaction(this.em, async (query) => {
      const [lock] = await query(`select pg_try_advisory_xact_lock(${METRICS_ROLLUP_LOCK}) as locked`);
      if (!lock?.locked) return null;
      const states = await subAccountStates(query, now);
      const spans = await spansToMeasure(query, states, resettle ? RESETTLING_DAYS : 2);
      const daysMeasured = await measure(query, spans);
      await query(
        `insert into metrics_rollups (sub_account_id, agency_id, time_zone, rolled_through, rolled_at)
         select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::timestamptz[])
         on conflict (sub_account_id) do update set agency_id = excluded.agency_id, time_zone = excluded.time_zone,
           rolled_through = excluded.rolled_through, rolled_at = excluded.rolled_at`,
        [states.map((s) => s.id), states.map((s) => s.agencyId), states.map((s) => s.timeZone), states.map((s) => s.today), states.map(() => now)],
      );
      const agencyDays = await rollUpAgencies(query, spans);
      return { subAccounts: states.length, daysMeasured, agencyDays, resettled: resettle };
    });
    if (report && resettle) this.lastResettledAt = now.getTime();
    return report;
  }
}

/** Every sub-account with its local today and how far it is rolled up (nowhere, if its zone changed since). */
async function subAccountStates(query: DriverQuery, now: Date): Promise<SubAccountState[]> {
  const rows = await query(
    `select s.id, s.agency_id, s.time_zone, ($1::timestamptz at time zone s.time_zone)::date::text as today,
            case when r.time_zone = s.time_zone then r.rolled_through::text end as rolled_through,
            case when r.time_zone is distinct from s.time_zone then least(
              (s.created_at at time zone s.time_zone)::date,
              ((select min(c.started_at) from calls c where c.sub_account_id = s.id) at time zone s.time_zone)::date,
              ((select min(ct.opted_out_at) from contacts ct where ct.sub_account_id = s.id and ct.opted_out_at is not null) at time zone s.time_zone)::date
            )::text end as first_day
       from sub_accounts s left join metrics_rollups r on r.sub_account_id = s.id`,
    [now],
  );
  return rows.map((row) => ({
    id: row.id as string,
    agencyId: row.agency_id as string,
    timeZone: row.time_zone as string,
    today: row.today as string,
    rolledThrough: (row.rolled_through as string | null) ?? null,
    firstDay: (row.first_day as string | null) ?? (row.today as string),
  }));
}

/**
 * What to measure: for a sub-account never rolled up (or whose zone changed), all its history; for
 * the others the last `days` days and any days since their last rollup; plus older days whose
 * callback task was completed since.
 */
async function spansToMeasure(query: DriverQuery, states: SubAccountState[], days: number): Promise<Span[]> {
  const spans: Span[] = [];
  const windowStart = new Map<string, string>();
  for (const state of states) {
    const from = state.rolledThrough === null ? state.firstDay : minDate(addDays(state.rolledThrough, 1), addDays(state.today, 1 - days));
    windowStart.set(state.id, from);
    if (from <= state.today) spans.push({ id: state.id, agencyId: state.agencyId, from, to: state.today });
  }
  const late = await query(
    `select distinct c.sub_account_id, (c.started_at at time zone s.time_zone)::date::text as day
       from tasks tk
       join metrics_rollups r on r.sub_account_id = tk.sub_account_id
       join automation_runs ar on ar.id = tk.run_id
       join calls c on c.call_sid = ar.trigger_ref and c.sub_account_id = tk.sub_account_id
       join sub_accounts s on s.id = c.sub_account_id
      where tk.status = 'done' and tk.completed_at >= r.rolled_at`,
  );
  const agencyOf = new Map(states.map((s) => [s.id, s.agencyId]));
  for (const row of late) {
    const id = row.sub_account_id as string;
    const day = row.day as string;
    const start = windowStart.get(id);
    if (start !== undefined && day < start) spans.push({ id, agencyId: agencyOf.get(id)!, from: day, to: day });
  }
  return spans;
}

/** Measures the spans and replaces their days in metrics_days (days with nothing to count keep no row). */
async function measure(query: DriverQuery, spans: Span[]): Promise<number> {
  let measured = 0;
  for (const batch of batches(spans)) {
    const args = [batch.map((s) => s.id), batch.map((s) => s.from), batch.map((s) => s.to)];
    const rows = await query(ROLLUP_SQL, args);
    await query(
      `delete from metrics_days d using unnest($1::uuid[], $2::date[], $3::date[]) p(id, f, t)
        where d.sub_account_id = p.id and d.day >= p.f and d.day <= p.t`,
      args,
    );
    const agencyOf = new Map(batch.map((s) => [s.id, s.agencyId]));
    await query(
      `insert into metrics_days (sub_account_id, agency_id, day, figures) select * from unnest($1::uuid[], $2::uuid[], $3::date[], $4::jsonb[])`,
      [
        rows.map((row) => row.sub_account_id),
        rows.map((row) => agencyOf.get(row.sub_account_id as string)),
        rows.map((row) => row.day),
        rows.map((row) => JSON.stringify(aggregateOfMeasured(row.live as Record<string, unknown>))),
      ],
    );
    measured += batch.reduce((n, s) => n + datesIn(s.from, s.to).length, 0);
  }
  return measured;
}

function* batches(spans: Span[]): Generator<Span[]> {
  let batch: Span[] = [];
  let days = 0;
  for (const span of spans) {
    const length = datesIn(span.from, span.to).length;
    if (batch.length > 0 && days + length > DAYS_PER_STATEMENT) {
      yield batch;
      batch = [];
      days = 0;
    }
    batch.push(span);
    days += length;
  }
  if (batch.length > 0) yield batch;
}

/** Each agency's days that any span touched are summed again from its sub-accounts' days. */
async function rollUpAgencies(query: DriverQuery, spans: Span[]): Promise<number> {
  const touched = new Map<string, Set<string>>();
  for (const span of spans) {
    const days = touched.get(span.agencyId) ?? new Set<string>();
    for (const day of datesIn(span.from, span.to)) days.add(day);
    touched.set(span.agencyId, days);
  }
  let written = 0;
  for (const [agencyId, dates] of touched) {
    const days = [...dates].sort();
    for (let i = 0; i < days.length; i += 60) written += await rollUpAgencyDays(query, agencyId, days.slice(i, i + 60));
  }
  return written;
}

async function rollUpAgencyDays(query: DriverQuery, agencyId: string, days: string[]): Promise<number> {
  const rows = await query(`select day::text as day, figures from metrics_days where agency_id = $1 and day = any($2::date[])`, [agencyId, days]);
  const byDay = new Map<string, FiguresAggregate[]>();
  for (const row of rows) {
    const day = byDay.get(row.day as string);
    if (day) day.push(row.figures as FiguresAggregate);
    else byDay.set(row.day as string, [row.figures as FiguresAggregate]);
  }
  const summed = [...byDay].map(([day, aggregates]) => [day, JSON.stringify(sumAggregates(aggregates))] as const);
  await query(`delete from agency_metrics_days where agency_id = $1 and day = any($2::date[])`, [agencyId, days]);
  await query(`insert into agency_metrics_days (agency_id, day, figures) select $1, * from unnest($2::date[], $3::jsonb[])`, [
    agencyId,
    summed.map(([day]) => day),
    summed.map(([, figures]) => figures),
  ]);
  return summed.length;
}
