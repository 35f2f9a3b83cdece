import type { EntityManager } from '@mikro-orm/postgresql';
import { driverQuery } from './driver.js';

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
 * How a text a team member sent is told from an automated one. Messages carry no column saying
 * who sent them, so: an outbound text about no call whose intent is not an automation run's step
 * (run sends are `<run id>/<step id>`, notifications too), not a keyword's automatic answer
 * (`…/keyword-reply`) and not a test message (the control plane's manual sends are
 * `manual-message/<sub-account>/<test|reply>/<key>/send`).
 */
const HUMAN_OUTBOUND = `m.call_id is null and (m.intent_id is null or (m.intent_id not like 'manual-message/%/test/%' and m.intent_id not like '%/keyword-reply'
           and not exists (select 1 from automation_runs ar where ar.id = left(m.intent_id, length(m.intent_id) - strpos(reverse(m.intent_id), '/')))))`;

/**
 * Every figure of each (sub-account, local day), grouped as asked. One statement: the sub-accounts
 * in scope with their day bounds in their own zones, their missed calls in those bounds (the
 * (sub_account_id, started_at) index), each call's texts (messages by call_id), its caller's first
 * reply and the first human answer after it (messages by contact_id, created_at), the done tasks
 * of its run (done tasks by contact, then the run by id), and the opt-outs (contacts by opted_out_at).
 */
function metricsSql(scope: 'sub_accounts' | 'agency', grouping: string, select: string): string {
  // A page of ids is joined (by the primary key), not tested with = any() against every sub-account.
  const inScope = scope === 'sub_accounts' ? 's.id in (select unnest($1::uuid[]))' : 's.agency_id = $1::uuid and ($5::uuid is null or s.id = $5::uuid)';
  return `
with sa as (
  select s.id, s.time_zone,
         (coalesce($2::date, ($4::timestamptz at time zone s.time_zone)::date))::timestamp at time zone s.time_zone as lo,
         (coalesce($3::date, ($4::timestamptz at time zone s.time_zone)::date) + 1)::timestamp at time zone s.time_zone as hi
    from sub_accounts s where ${inScope}
),
missed as (
  select c.id, c.sub_account_id, c.contact_id, c.call_sid, c.outcome,
         (c.started_at at time zone sa.time_zone)::date as day,
         coalesce(c.ended_at, c.started_at) as missed_at,
         case when c.text_back_status is not null then c.text_back_status when c.intake_decision = 'skip' then 'skipped' end as tb_status,
         case when c.text_back_status is not null then c.text_back_reason else c.intake_reason end as tb_reason
    from sa join calls c on c.sub_account_id = sa.id and c.started_at >= sa.lo and c.started_at < sa.hi
   where c.outcome is not null and c.outcome <> 'answered'
),
per_call as (
  select k.sub_account_id, k.day, k.outcome, k.tb_status, k.tb_reason, t.sent, t.delivered, t.failed,
         extract(epoch from t.first_text_at - k.missed_at)::float8 as to_text,
         r.replied_at is not null as replied,
         extract(epoch from h.human_at - r.replied_at)::float8 as to_human,
         (r.replied_at is not null or d.done is not null) as recovered,
         0 as opt_out
    from missed k
    cross join lateral (
      select min(m.created_at) filter (where m.status in ('queued', 'sending', 'sent', 'delivered', 'undelivered')) as first_text_at,
             count(*) filter (where m.status in ('queued', 'sending', 'sent', 'delivered', 'undelivered')) as sent,
             count(*) filter (where m.status = 'delivered') as delivered,
             count(*) filter (where m.status in ('failed', 'undelivered')) as failed
        from messages m where m.call_id = k.id and m.direction = 'outbound'
    ) t
    left join lateral (
      select min(m.created_at) as replied_at from messages m
       where t.first_text_at is not null and m.contact_id = k.contact_id and m.direction = 'inbound'
         and m.created_at > t.first_text_at and m.created_at < t.first_text_at + interval '${REPLY_WINDOW_DAYS} days'
    ) r on true
    left join lateral (
      select min(m.created_at) as human_at from messages m
       where r.replied_at is not null and m.contact_id = k.contact_id and m.direction = 'outbound' and m.created_at > r.replied_at
         and ${HUMAN_OUTBOUND}
    ) h on true
    left join lateral (
      select 1 as done from tasks tk join automation_runs ar on ar.id = tk.run_id
       where k.contact_id is not null and tk.contact_id = k.contact_id and tk.status = 'done' and ar.trigger_ref = k.call_sid
       limit 1
    ) d on true
),
opt_outs as (
  select ct.sub_account_id, (ct.opted_out_at at time zone sa.time_zone)::date as day, null::text as outcome, null::text as tb_status, null::text as tb_reason,
         0::bigint as sent, 0::bigint as delivered, 0::bigint as failed, null::float8 as to_text, false as replied, null::float8 as to_human, false as recovered, 1 as opt_out
    from sa join contacts ct on ct.sub_account_id = sa.id and ct.opted_out_at >= sa.lo and ct.opted_out_at < sa.hi
),
events as (select * from per_call union all select * from opt_outs)
select ${select}
       count(*) filter (where outcome is not null)::int as missed_calls,
       ${MISSED_OUTCOMES.map((o) => `count(*) filter (where outcome = '${o}')::int as "${o}"`).join(', ')},
       coalesce(sum(sent), 0)::int as texts_sent,
       coalesce(sum(delivered), 0)::int as texts_delivered,
       coalesce(sum(failed), 0)::int as texts_failed,
       count(*) filter (where tb_status = 'skipped')::int as texts_skipped,
       (select coalesce(jsonb_object_agg(reason, n), '{}'::jsonb) from (
          select reason, count(*) as n from unnest(array_agg(coalesce(tb_reason, 'unknown')) filter (where tb_status = 'skipped')) reason group by reason
        ) x) as skipped_by_reason,
       count(to_text)::int as texted_calls,
       count(*) filter (where replied)::int as replies,
       percentile_cont(0.5) within group (order by to_text) as to_text_p50,
       percentile_cont(0.9) within group (order by to_text) as to_text_p90,
       percentile_cont(0.5) within group (order by to_human) as to_human_p50,
       coalesce(sum(opt_out), 0)::int as opt_outs,
       count(*) filter (where recovered)::int as recovered
  from events
 group by grouping sets (${grouping})`;
}

const SUB_ACCOUNT_SQL = metricsSql('sub_accounts', '(sub_account_id, day), (sub_account_id)', 'sub_account_id, day::text as day, grouping(day) = 1 as total,');
/** Today is one day: no totals to compute. */
const SUB_ACCOUNT_TODAY_SQL = metricsSql('sub_accounts', '(sub_account_id, day)', 'sub_account_id, day::text as day, false as total,');
const AGENCY_SQL = metricsSql('agency', '(day), ()', 'day::text as day, grouping(day) = 1 as total,');
/** The statements as run, for EXPLAIN in the dashboard bench: $1 ids (or agency id), $2 from, $3 to (null: today), $4 now[, $5 sub-account scope]. */
export const METRICS_STATEMENTS = { subAccounts: SUB_ACCOUNT_SQL, subAccountsToday: SUB_ACCOUNT_TODAY_SQL, agency: AGENCY_SQL } as const;
const TODAY_SQL = `select s.id, ($2::timestamptz at time zone s.time_zone)::date::text as day from sub_accounts s where s.id = any($1::uuid[])`;

/**
 * Metrics by day in each sub-account's own time zone, read from the stored calls, messages,
 * contacts and tasks with indexed queries (no rollup: there is no second copy to keep exact).
 * Each method is one SQL statement (two for today's figures) whatever the number of sub-accounts.
 */
export class MetricsStore {
  constructor(private readonly em: EntityManager) {}

  /** Each sub-account's figures from `from` to `to` (local dates, inclusive), day by day and in all. */
  async forSubAccounts(ids: readonly string[], from: string, to: string): Promise<Map<string, MetricsRange>> {
    const rows = ids.length === 0 ? [] : await driverQuery(this.em)(SUB_ACCOUNT_SQL, [ids, from, to, new Date()]);
    const result = new Map<string, MetricsRange>();
    for (const id of ids) result.set(id, { from, to, days: [], totals: emptyFigures() });
    for (const row of rows) {
      const range = result.get(row.sub_account_id as string)!;
      if (row.total) range.totals = figuresOf(row);
      else range.days.push({ date: row.day as string, ...figuresOf(row) });
    }
    for (const range of result.values()) range.days = everyDay(from, to, range.days);
    return result;
  }

  /**
   * The agency's figures: each day sums its sub-accounts' figures for that local date, each in its
   * own zone; medians are over all the calls of the day. A sub-account key sees its own only.
   */
  async forAgency(scope: { agencyId: string; subAccountId: string | null }, from: string, to: string): Promise<MetricsRange> {
    const rows = await driverQuery(this.em)(AGENCY_SQL, [scope.agencyId, from, to, new Date(), scope.subAccountId]);
    const range: MetricsRange = { from, to, days: [], totals: emptyFigures() };
    for (const row of rows) {
      if (row.total) range.totals = figuresOf(row);
      else range.days.push({ date: row.day as string, ...figuresOf(row) });
    }
    range.days = everyDay(from, to, range.days);
    return range;
  }

  /** Each sub-account's figures for today in its own zone (`now` decides what today is). */
  async today(ids: readonly string[], now: Date = new Date()): Promise<Map<string, MetricsDay>> {
    const query = driverQuery(this.em);
    const [days, rows] = ids.length === 0 ? [[], []] : await Promise.all([query(TODAY_SQL, [ids, now]), query(SUB_ACCOUNT_TODAY_SQL, [ids, null, null, now])]);
    const result = new Map<string, MetricsDay>();
    for (const row of days) result.set(row.id as string, { date: row.day as string, ...emptyFigures() });
    for (const row of rows) {
      if (row.total) continue;
      result.set(row.sub_account_id as string, { date: row.day as string, ...figuresOf(row) });
    }
    return result;
  }
}

export function emptyFigures(): MetricsFigures {
  return {
    missedCalls: 0,
    byOutcome: Object.fromEntries(MISSED_OUTCOMES.map((o) => [o, 0])) as Record<MissedOutcome, number>,
    textsSent: 0,
    textsDelivered: 0,
    textsFailed: 0,
    textsSkipped: 0,
    skippedByReason: [],
    textedCalls: 0,
    replies: 0,
    replyRate: null,
    secondsToTextMedian: null,
    secondsToTextP90: null,
    secondsToFirstHumanResponseMedian: null,
    optOuts: 0,
    recoveredLeads: 0,
  };
}

function figuresOf(row: Record<string, unknown>): MetricsFigures {
  const int = (key: string) => Number(row[key] ?? 0);
  // Seconds to the millisecond: percentile_cont's interpolation leaves float dust (84.00000000000001).
  const num = (key: string) => (row[key] === null || row[key] === undefined ? null : Math.round(Number(row[key]) * 1000) / 1000);
  const reasons = (row.skipped_by_reason ?? {}) as Record<string, number>;
  const textedCalls = int('texted_calls');
  const replies = int('replies');
  return {
    missedCalls: int('missed_calls'),
    byOutcome: Object.fromEntries(MISSED_OUTCOMES.map((o) => [o, int(o)])) as Record<MissedOutcome, number>,
    textsSent: int('texts_sent'),
    textsDelivered: int('texts_delivered'),
    textsFailed: int('texts_failed'),
    textsSkipped: int('texts_skipped'),
    skippedByReason: Object.entries(reasons)
      .map(([reason, count]) => ({ reason, count: Number(count) }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    textedCalls,
    replies,
    replyRate: textedCalls === 0 ? null : replies / textedCalls,
    secondsToTextMedian: num('to_text_p50'),
    secondsToTextP90: num('to_text_p90'),
    secondsToFirstHumanResponseMedian: num('to_human_p50'),
    optOuts: int('opt_outs'),
    recoveredLeads: int('recovered'),
  };
}

/** Days from..to (YYYY-MM-DD, inclusive), with the measured ones filled in and the rest zero. */
function everyDay(from: string, to: string, measured: MetricsDay[]): MetricsDay[] {
  const byDate = new Map(measured.map((day) => [day.date, day]));
  const days: MetricsDay[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); at <= end; at += 86_400_000) {
    const date = new Date(at).toISOString().slice(0, 10);
    days.push(byDate.get(date) ?? { date, ...emptyFigures() });
  }
  return days;
}

/** Whole days from `from` to `to` inclusive (both YYYY-MM-DD). */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
