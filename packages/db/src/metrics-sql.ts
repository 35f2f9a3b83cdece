import { MISSED_OUTCOMES, REPLY_WINDOW_DAYS } from './metrics-figures.js';

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
 * The figures measured from the stored events, for the spans of local days `spans` selects
 * (`id, time_zone, lo, hi`: a sub-account and a half-open interval; spans of one sub-account never
 * overlap), grouped by `groupBy`. Each group's figures come as one JSON object (`live`) whose
 * durations are raw seconds, so the caller can build the histograms.
 *
 * Reads: the calls in each span (the (sub_account_id, started_at) index), each call's texts
 * (messages by call_id), its caller's first reply and the first human answer after it (messages by
 * contact_id, created_at), the done tasks of its run (done tasks by contact, then the run by id),
 * and the opt-outs (contacts by opted_out_at).
 */
export function measuredSql(spans: string, groupBy: 'sub_account' | 'day'): string {
  const keys = groupBy === 'sub_account' ? 'sub_account_id, day' : 'day';
  return `
spans as (${spans}),
missed as (
  select c.id, c.sub_account_id, c.contact_id, c.call_sid, c.outcome,
         (c.started_at at time zone sp.time_zone)::date as day,
         coalesce(c.ended_at, c.started_at) as missed_at,
         case when c.text_back_status is not null then c.text_back_status when c.intake_decision = 'skip' then 'skipped' end as tb_status,
         case when c.text_back_status is not null then c.text_back_reason else c.intake_reason end as tb_reason
    -- Lateral, so each span is an index range scan whatever the planner guesses of the spans' bounds.
    from spans sp cross join lateral (
      select c.id, c.sub_account_id, c.contact_id, c.call_sid, c.outcome, c.started_at, c.ended_at, c.text_back_status, c.text_back_reason, c.intake_decision, c.intake_reason
        from calls c where c.sub_account_id = sp.id and c.started_at >= sp.lo and c.started_at < sp.hi and c.outcome is not null and c.outcome <> 'answered'
    ) c
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
  select ct.sub_account_id, (ct.opted_out_at at time zone sp.time_zone)::date as day, null::text as outcome, null::text as tb_status, null::text as tb_reason,
         0::bigint as sent, 0::bigint as delivered, 0::bigint as failed, null::float8 as to_text, false as replied, null::float8 as to_human, false as recovered, 1 as opt_out
    from spans sp cross join lateral (
      select ct.sub_account_id, ct.opted_out_at from contacts ct where ct.sub_account_id = sp.id and ct.opted_out_at >= sp.lo and ct.opted_out_at < sp.hi
    ) ct
),
events as (select * from per_call union all select * from opt_outs),
measured as (
  select ${keys}, jsonb_build_object(
       'missedCalls', count(*) filter (where outcome is not null),
       'byOutcome', jsonb_build_object(${MISSED_OUTCOMES.map((o) => `'${o}', count(*) filter (where outcome = '${o}')`).join(', ')}),
       'textsSent', coalesce(sum(sent), 0),
       'textsDelivered', coalesce(sum(delivered), 0),
       'textsFailed', coalesce(sum(failed), 0),
       'textsSkipped', count(*) filter (where tb_status = 'skipped'),
       'skippedByReason', (select coalesce(jsonb_object_agg(reason, n), '{}'::jsonb) from (
          select reason, count(*) as n from unnest(array_agg(coalesce(tb_reason, 'unknown')) filter (where tb_status = 'skipped')) reason group by reason
        ) x),
       'textedCalls', count(to_text),
       'replies', count(*) filter (where replied),
       'optOuts', coalesce(sum(opt_out), 0),
       'recoveredLeads', count(*) filter (where recovered),
       'secondsToText', coalesce(array_agg(to_text) filter (where to_text is not null), '{}'),
       'secondsToHuman', coalesce(array_agg(to_human) filter (where to_human is not null), '{}')
     ) as live
    from events
   group by ${keys}
)`;
}

/** Local day bounds of a span from its first and last dates, in the sub-account's zone. */
const BOUNDS = `f::timestamp at time zone s.time_zone as lo, (t + 1)::timestamp at time zone s.time_zone as hi`;

/**
 * A sub-account's days before its local today, up to the last rollup (for the zone they were
 * rolled up in), come from metrics_days; the days after them, today at least, are measured. One
 * statement, so a rollup committing meanwhile can't count a day twice. $1 sub-account ids, $2 from,
 * $3 to, $4 now.
 */
export const SUB_ACCOUNTS_SQL = `
with settled as (
  select s.id, s.time_zone,
         case when r.sub_account_id is not null then least(r.rolled_through, ($4::timestamptz at time zone s.time_zone)::date - 1) end as through
    from unnest($1::uuid[]) ids(id) join sub_accounts s on s.id = ids.id
    left join metrics_rollups r on r.sub_account_id = s.id and r.time_zone = s.time_zone
),
${measuredSql(
  `select st.id, st.time_zone, ${BOUNDS}
     from settled st join sub_accounts s on s.id = st.id
     cross join lateral (select greatest($2::date, st.through + 1) as f, $3::date as t) p
    where f <= t`,
  'sub_account',
)}
select sub_account_id, day::text as day, live, null::jsonb as rolled from measured
union all
select d.sub_account_id, d.day::text, null, d.figures
  from settled st join metrics_days d on d.sub_account_id = st.id and d.day >= $2::date and d.day <= least($3::date, st.through)`;

/**
 * The agency's days as of the last rollup (agency_metrics_days, every sub-account it has seen,
 * today so far included), and every day measured for a sub-account it has not seen yet (new, or
 * moved to another zone). $1 agency id, $2 from, $3 to.
 */
export const AGENCY_SQL = `
with ${measuredSql(
  `select s.id, s.time_zone, ${BOUNDS}
     from sub_accounts s
     left join metrics_rollups r on r.sub_account_id = s.id and r.time_zone = s.time_zone
     cross join lateral (select $2::date as f, $3::date as t) p
    where s.agency_id = $1::uuid and r.sub_account_id is null`,
  'day',
)}
select day::text as day, live, null::jsonb as rolled from measured
union all
select a.day::text, null, a.figures from agency_metrics_days a
 where a.agency_id = $1::uuid and a.day >= $2::date and a.day <= $3::date`;

/** Each sub-account's local today and its figures so far. $1 sub-account ids, $2 now. */
export const TODAY_SQL = `
with ${measuredSql(
  `select s.id, s.time_zone, ${BOUNDS}
     from unnest($1::uuid[]) ids(id) join sub_accounts s on s.id = ids.id
     cross join lateral (select ($2::timestamptz at time zone s.time_zone)::date as f) p
     cross join lateral (select p.f as t) q`,
  'sub_account',
)}
select sub_account_id, day::text as day, live from measured
union all
select id, (lo at time zone time_zone)::date::text, null from spans`;

/** The days the rollup measures: $1 ids, $2 first dates, $3 last dates (a sub-account may repeat, its spans apart). */
export const ROLLUP_SQL = `
with ${measuredSql(
  `select s.id, s.time_zone, ${BOUNDS}
     from unnest($1::uuid[], $2::date[], $3::date[]) p(id, f, t) join sub_accounts s on s.id = p.id
    where f <= t`,
  'sub_account',
)}
select sub_account_id, day::text as day, live from measured`;
