import type { AccountSetup } from '@mctb/control';
import { METRICS_ROLLUP_LOCK, MetricsRollup } from '@mctb/db';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

let cp: ControlPlaneHarness;
let agency: AccountSetup;
let other: AccountSetup;
/** Sub-account A is the seeded one (America/Chicago, UTC-6 in November); B is in Asia/Tokyo (UTC+9). */
let A: string;
let B: string;

const FIGURES = `missedCalls byOutcome { outcome count } textsSent textsDelivered textsFailed textsSkipped skippedByReason { reason count }
  textedCalls replies replyRate secondsToTextMedian secondsToTextP90 secondsToFirstHumanResponseMedian optOuts recoveredLeads`;
const SUB_METRICS = `query ($id: ID!, $from: Date!, $to: Date!) { subAccount(id: $id) { metrics(from: $from, to: $to) {
  __typename ... on Metrics { from to days { date ${FIGURES} } totals { ${FIGURES} } } ... on ValidationError { message issues { path message } } } } }`;
const AGENCY_METRICS = `query ($from: Date!, $to: Date!) { metrics(from: $from, to: $to) {
  __typename ... on Metrics { from to days { date ${FIGURES} } totals { ${FIGURES} } } ... on ValidationError { issues { path message } } } }`;

const at = (iso: string) => new Date(iso);
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

async function sql(text: string, values: unknown[] = []): Promise<void> {
  await cp.orm.em.fork().execute(text, values);
}

async function select<T>(text: string, values: unknown[] = []): Promise<T[]> {
  return cp.orm.em.fork().execute<T[]>(text, values);
}

async function contact(subAccountId: string, phone: string, optedOutAt: Date | null = null): Promise<string> {
  const id = randomUUID();
  await sql(`insert into contacts (id, sub_account_id, phone, source, opted_out_at, created_at) values (?, ?, ?, 'missed_call', ?, now())`, [id, subAccountId, phone, optedOutAt]);
  return id;
}

interface SeedCall {
  sid: string;
  contactId: string | null;
  started: string;
  outcome: string | null;
  /** The text-back workflow's status and reason, or intake's skip reason. */
  textBack?: [string, string | null];
  intakeSkip?: string;
}

async function call(subAccountId: string, c: SeedCall): Promise<string> {
  const id = randomUUID();
  await sql(
    `insert into calls (id, sub_account_id, call_sid, from_raw, caller_phone, to_number, contact_id, outcome, intake_decision, intake_reason,
                        text_back_status, text_back_reason, started_at, ended_at)
     values (?, ?, ?, '+15550000000', '+15550000000', '+15125550100', ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      subAccountId,
      c.sid,
      c.contactId,
      c.outcome,
      c.outcome === null ? null : c.intakeSkip ? 'skip' : 'text_back',
      c.intakeSkip ?? null,
      c.textBack?.[0] ?? null,
      c.textBack?.[1] ?? null,
      at(c.started),
      c.outcome === null ? null : plus(c.started, 20),
    ],
  );
  return id;
}

async function message(
  subAccountId: string,
  m: { contactId: string | null; callId: string | null; direction: 'inbound' | 'outbound'; status: string; at: Date; intentId?: string | null },
): Promise<void> {
  await sql(
    `insert into messages (id, sub_account_id, contact_id, call_id, direction, from_number, to_number, body, status, provider, intent_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, '+15125550100', '+15550000000', 'hi', ?, 'outbox', ?, ?, ?)`,
    [randomUUID(), subAccountId, m.contactId, m.callId, m.direction, m.status, m.intentId ?? (m.direction === 'outbound' ? randomUUID() : null), m.at, m.at],
  );
}

async function run(subAccountId: string, id: string, contactId: string, triggerRef: string | null): Promise<void> {
  await sql(
    `insert into automation_runs (id, sub_account_id, contact_id, workflow_key, snapshot_slug, snapshot_version, trigger_type, trigger_ref, temporal_workflow_id, status, started_at, updated_at)
     values (?, ?, ?, 'call.missed', 'starter', 1, ?, ?, ?, 'completed', now(), now())`,
    [id, subAccountId, contactId, triggerRef ? 'call.missed' : 'contact.tagged', triggerRef, id],
  );
}

beforeAll(async () => {
  cp = await startControlPlane('control_plane_metrics');
  agency = await cp.seedAgency('Metrics Agency', '+15125550160');
  other = await cp.seedAgency('Other Agency', '+15125550161');
  A = agency.subAccountId;
  B = randomUUID();
  await sql(
    `insert into sub_accounts (id, agency_id, name, time_zone, forwarding_number, incoming_call_timeout, created_at) values (?, ?, 'Tokyo client', 'Asia/Tokyo', '+15125550199', 18, now())`,
    [B, agency.agencyId],
  );

  // Sub-account A, America/Chicago. Calls end 20 s after they start.
  const [a1, a2, a3, a4] = [await contact(A, '+15550000001'), await contact(A, '+15550000002'), await contact(A, '+15550000003'), await contact(A, '+15550000004', at('2026-11-11T05:00:00Z'))];
  // 11-10 09:00 local: texted 60 s after it ended (delivered), a follow-up of its run (sent); the caller replies; a tag-triggered
  // run's text (no call) 1 min later, a test message and a keyword's automatic answer are no person's answer; a team member answers 2 min after the reply.
  const A1 = await call(A, { sid: 'CA-A1', contactId: a1, started: '2026-11-10T15:00:00Z', outcome: 'no_answer', textBack: ['sent', null] });
  await message(A, { contactId: a1, callId: A1, direction: 'outbound', status: 'delivered', at: plus('2026-11-10T15:00:20Z', 60), intentId: `${A}/CA-A1/textback` });
  await run(A, 'textback/A/a1/CA-A1', a1, 'CA-A1');
  await message(A, { contactId: a1, callId: A1, direction: 'outbound', status: 'sent', at: at('2026-11-10T16:01:20Z'), intentId: 'textback/A/a1/CA-A1/follow_up' });
  await message(A, { contactId: a1, callId: null, direction: 'inbound', status: 'received', at: at('2026-11-10T15:05:00Z') });
  await run(A, 'tagged/A/a1', a1, null);
  await message(A, { contactId: a1, callId: null, direction: 'outbound', status: 'delivered', at: at('2026-11-10T15:06:00Z'), intentId: 'tagged/A/a1/welcome' });
  await message(A, { contactId: a1, callId: null, direction: 'outbound', status: 'delivered', at: at('2026-11-10T15:06:30Z'), intentId: `manual-message/${A}/test/key-0/send` });
  await message(A, { contactId: a1, callId: null, direction: 'outbound', status: 'queued', at: at('2026-11-10T15:06:40Z'), intentId: `${A}/SM-help/keyword-reply` });
  await message(A, { contactId: a1, callId: null, direction: 'outbound', status: 'delivered', at: at('2026-11-10T15:07:00Z'), intentId: `manual-message/${A}/reply/key-1/send` });
  // 11-10 23:30 local (11-11 in UTC): voicemail, texted after 90 s but undelivered; its run's callback task is done.
  const A2 = await call(A, { sid: 'CA-A2', contactId: a2, started: '2026-11-11T05:30:00Z', outcome: 'voicemail', textBack: ['sent', null] });
  await message(A, { contactId: a2, callId: A2, direction: 'outbound', status: 'undelivered', at: plus('2026-11-11T05:30:20Z', 90) });
  await run(A, 'textback/A/a2/CA-A2', a2, 'CA-A2');
  await sql(`insert into tasks (id, sub_account_id, contact_id, run_id, step_id, title, due_at, status, completed_at) values (?, ?, ?, 'textback/A/a2/CA-A2', 'callback', 'Call back', now(), 'done', now())`, [randomUUID(), A, a2]);
  // 11-11 00:30 local: skipped by intake (no caller ID).
  await call(A, { sid: 'CA-A3', contactId: null, started: '2026-11-11T06:30:00Z', outcome: 'declined', intakeSkip: 'untextable: anonymous' });
  // 11-11: skipped by the workflow; answered (not missed); abandoned early; texted after 30 s, whose reply came 8 days later (too late).
  await call(A, { sid: 'CA-A4', contactId: a1, started: '2026-11-11T18:00:00Z', outcome: 'no_answer', textBack: ['skipped', 'excluded: active conversation'] });
  await call(A, { sid: 'CA-A5', contactId: a1, started: '2026-11-11T19:00:00Z', outcome: 'answered', intakeSkip: 'answered' });
  await call(A, { sid: 'CA-A6', contactId: a2, started: '2026-11-11T20:00:00Z', outcome: 'abandoned', intakeSkip: 'abandoned_after_2s' });
  const A7 = await call(A, { sid: 'CA-A7', contactId: a3, started: '2026-11-11T21:00:00Z', outcome: 'no_answer', textBack: ['sent', null] });
  await message(A, { contactId: a3, callId: A7, direction: 'outbound', status: 'sent', at: plus('2026-11-11T21:00:20Z', 30) });
  await message(A, { contactId: a3, callId: null, direction: 'inbound', status: 'received', at: at('2026-11-19T21:00:00Z') });
  // Still ringing, and outside the range on either side (11-09 23:59:59 and 11-12 00:00 local).
  await call(A, { sid: 'CA-A8', contactId: a4, started: '2026-11-11T22:00:00Z', outcome: null });
  await call(A, { sid: 'CA-A9', contactId: a4, started: '2026-11-10T05:59:59Z', outcome: 'no_answer', intakeSkip: 'x' });
  await call(A, { sid: 'CA-A10', contactId: a4, started: '2026-11-12T06:00:00Z', outcome: 'no_answer', intakeSkip: 'x' });

  // Sub-account B, Asia/Tokyo.
  const [b1, b2] = [await contact(B, '+15550000011'), await contact(B, '+15550000012', at('2026-11-11T10:00:00Z'))];
  // 11-10 23:00 local: texted after 45 s, delivered, replied at once, nobody answered.
  const B1 = await call(B, { sid: 'CA-B1', contactId: b1, started: '2026-11-10T14:00:00Z', outcome: 'no_answer', textBack: ['sent', null] });
  await message(B, { contactId: b1, callId: B1, direction: 'outbound', status: 'delivered', at: plus('2026-11-10T14:00:20Z', 45) });
  await message(B, { contactId: b1, callId: null, direction: 'inbound', status: 'received', at: at('2026-11-10T14:02:00Z') });
  // 11-11 01:00 local: the AI agent answered; 11-11 23:30 local: the text was refused (failed).
  await call(B, { sid: 'CA-B2', contactId: b2, started: '2026-11-10T16:00:00Z', outcome: 'answered_by_ai', textBack: ['skipped', 'plugin voice-ai: answered'] });
  const B3 = await call(B, { sid: 'CA-B3', contactId: b2, started: '2026-11-11T14:30:00Z', outcome: 'failed', textBack: ['failed', 'recipient has opted out of texts'] });
  await message(B, { contactId: b2, callId: B3, direction: 'outbound', status: 'failed', at: plus('2026-11-11T14:30:20Z', 5) });
  // 11-12 00:30 local: outside.
  await call(B, { sid: 'CA-B4', contactId: b1, started: '2026-11-11T15:30:00Z', outcome: 'no_answer', intakeSkip: 'x' });

  // Another agency's missed call on the same day is never counted.
  await call(other.subAccountId, { sid: 'CA-O1', contactId: null, started: '2026-11-10T18:00:00Z', outcome: 'no_answer', intakeSkip: 'untextable: anonymous' });
});
afterAll(() => cp?.close());

const outcomes = (counts: Partial<Record<string, number>>) =>
  ['no_answer', 'declined', 'voicemail', 'failed', 'abandoned', 'answered_by_ai'].map((outcome) => ({ outcome, count: counts[outcome] ?? 0 }));

function figures(f: {
  missed: number;
  byOutcome: Partial<Record<string, number>>;
  sent: number;
  delivered: number;
  failed: number;
  skipped: Record<string, number>;
  texted: number;
  replies: number;
  toText: [number, number] | null;
  toHuman: number | null;
  optOuts: number;
  recovered: number;
}) {
  return {
    missedCalls: f.missed,
    byOutcome: outcomes(f.byOutcome),
    textsSent: f.sent,
    textsDelivered: f.delivered,
    textsFailed: f.failed,
    textsSkipped: Object.values(f.skipped).reduce((sum, n) => sum + n, 0),
    skippedByReason: Object.entries(f.skipped).map(([reason, count]) => ({ reason, count })),
    textedCalls: f.texted,
    replies: f.replies,
    replyRate: f.texted === 0 ? null : f.replies / f.texted,
    secondsToTextMedian: f.toText?.[0] ?? null,
    secondsToTextP90: f.toText?.[1] ?? null,
    secondsToFirstHumanResponseMedian: f.toHuman,
    optOuts: f.optOuts,
    recoveredLeads: f.recovered,
  };
}

describe('metrics', () => {
  it("counts a sub-account's days in its own time zone, every figure as counted by hand", async () => {
    const { data, errors } = await cp.graphql<{ subAccount: { metrics: unknown } }>(agency.apiKey, SUB_METRICS, { id: A, from: '2026-11-10', to: '2026-11-11' });
    expect(errors).toBeUndefined();
    expect(data!.subAccount.metrics).toEqual({
      __typename: 'Metrics',
      from: '2026-11-10',
      to: '2026-11-11',
      days: [
        {
          date: '2026-11-10',
          // A1 and A2 (23:30 local); texts: A1's text and follow-up, A2's undelivered one; times to text 60 and 90 s.
          ...figures({ missed: 2, byOutcome: { no_answer: 1, voicemail: 1 }, sent: 3, delivered: 1, failed: 1, skipped: {}, texted: 2, replies: 1, toText: [75, 87], toHuman: 120, optOuts: 1, recovered: 2 }),
        },
        {
          date: '2026-11-11',
          // A3, A4, A6, A7 (A5 was answered, A8 still rings); A7's reply came after the window.
          ...figures({
            missed: 4,
            byOutcome: { no_answer: 2, declined: 1, abandoned: 1 },
            sent: 1,
            delivered: 0,
            failed: 0,
            skipped: { abandoned_after_2s: 1, 'excluded: active conversation': 1, 'untextable: anonymous': 1 },
            texted: 1,
            replies: 0,
            toText: [30, 30],
            toHuman: null,
            optOuts: 0,
            recovered: 0,
          }),
        },
      ],
      // Medians over the range's calls (30, 60, 90 s), not of the days' medians.
      totals: figures({
        missed: 6,
        byOutcome: { no_answer: 3, voicemail: 1, declined: 1, abandoned: 1 },
        sent: 4,
        delivered: 1,
        failed: 1,
        skipped: { abandoned_after_2s: 1, 'excluded: active conversation': 1, 'untextable: anonymous': 1 },
        texted: 3,
        replies: 1,
        toText: [60, 84],
        toHuman: 120,
        optOuts: 1,
        recovered: 2,
      }),
    });
  });

  it('counts a day in Tokyo by its own date, and lists days with nothing as zeros', async () => {
    const { data } = await cp.graphql<{ subAccount: { metrics: { days: { date: string }[]; totals: unknown } } }>(agency.apiKey, SUB_METRICS, { id: B, from: '2026-11-09', to: '2026-11-11' });
    const [empty, first, second] = data!.subAccount.metrics.days;
    const none = { missed: 0, byOutcome: {}, sent: 0, delivered: 0, failed: 0, skipped: {}, texted: 0, replies: 0, toText: null, toHuman: null, optOuts: 0, recovered: 0 };
    expect(empty).toEqual({ date: '2026-11-09', ...figures(none) });
    expect(first).toEqual({ date: '2026-11-10', ...figures({ ...none, missed: 1, byOutcome: { no_answer: 1 }, sent: 1, delivered: 1, texted: 1, replies: 1, toText: [45, 45], recovered: 1 }) });
    expect(second).toEqual({
      date: '2026-11-11',
      ...figures({ ...none, missed: 2, byOutcome: { answered_by_ai: 1, failed: 1 }, failed: 1, skipped: { 'plugin voice-ai: answered': 1 }, optOuts: 1 }),
    });
  });

  it("sums an agency's sub-accounts by each one's local date; medians over all their calls", async () => {
    const { data, errors } = await cp.graphql<{ metrics: unknown }>(agency.apiKey, AGENCY_METRICS, { from: '2026-11-10', to: '2026-11-11' });
    expect(errors).toBeUndefined();
    const skipped11 = { abandoned_after_2s: 1, 'excluded: active conversation': 1, 'plugin voice-ai: answered': 1, 'untextable: anonymous': 1 };
    expect(data!.metrics).toEqual({
      __typename: 'Metrics',
      from: '2026-11-10',
      to: '2026-11-11',
      days: [
        // A1, A2, B1: times to text 45, 60, 90.
        { date: '2026-11-10', ...figures({ missed: 3, byOutcome: { no_answer: 2, voicemail: 1 }, sent: 4, delivered: 2, failed: 1, skipped: {}, texted: 3, replies: 2, toText: [60, 84], toHuman: 120, optOuts: 1, recovered: 3 }) },
        {
          date: '2026-11-11',
          ...figures({
            missed: 6,
            byOutcome: { no_answer: 2, declined: 1, abandoned: 1, answered_by_ai: 1, failed: 1 },
            sent: 1,
            delivered: 0,
            failed: 1,
            skipped: skipped11,
            texted: 1,
            replies: 0,
            toText: [30, 30],
            toHuman: null,
            optOuts: 1,
            recovered: 0,
          }),
        },
      ],
      totals: figures({
        missed: 9,
        byOutcome: { no_answer: 4, voicemail: 1, declined: 1, abandoned: 1, answered_by_ai: 1, failed: 1 },
        sent: 5,
        delivered: 2,
        failed: 2,
        skipped: skipped11,
        texted: 4,
        replies: 2,
        toText: [52.5, 81],
        toHuman: 120,
        optOuts: 2,
        recovered: 3,
      }),
    });
  });

  it("lists sub-accounts with today's figures, today in each one's zone", async () => {
    const now = new Date();
    const c = await contact(A, '+15550000099');
    const id = await call(A, { sid: 'CA-today', contactId: c, started: new Date(now.getTime() - 60_000).toISOString(), outcome: 'no_answer', textBack: ['sent', null] });
    await message(A, { contactId: c, callId: id, direction: 'outbound', status: 'delivered', at: new Date(now.getTime() - 10_000) });
    const { data, errors } = await cp.graphql<{ subAccounts: { id: string; todayMetrics: { date: string; missedCalls: number; textsSent: number; replies: number } }[] }>(
      agency.apiKey,
      '{ subAccounts { id todayMetrics { date missedCalls textsSent replies } } }',
    );
    expect(errors).toBeUndefined();
    const localDate = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
    expect(Object.fromEntries(data!.subAccounts.map((s) => [s.id, s.todayMetrics]))).toEqual({
      [A]: { date: localDate('America/Chicago'), missedCalls: 1, textsSent: 1, replies: 0 },
      [B]: { date: localDate('Asia/Tokyo'), missedCalls: 0, textsSent: 0, replies: 0 },
    });
  });

  it('refuses a range that ends before it starts or spans more than 366 days, naming the argument', async () => {
    const reversed = await cp.graphql<{ subAccount: { metrics: unknown } }>(agency.apiKey, SUB_METRICS, { id: A, from: '2026-11-11', to: '2026-11-10' });
    expect(reversed.data!.subAccount.metrics).toEqual({
      __typename: 'ValidationError',
      message: 'to: must be on or after from (2026-11-11)',
      issues: [{ path: 'to', message: 'must be on or after from (2026-11-11)' }],
    });
    const long = await cp.graphql<{ metrics: unknown }>(agency.apiKey, AGENCY_METRICS, { from: '2025-01-01', to: '2026-01-02' });
    expect(long.data!.metrics).toEqual({ __typename: 'ValidationError', issues: [{ path: 'to', message: 'at most 366 days from from (2025-01-01)' }] });
    const leapYear = await cp.graphql<{ metrics: { days: unknown[] } }>(agency.apiKey, AGENCY_METRICS, { from: '2028-01-01', to: '2028-12-31' });
    expect(leapYear.data!.metrics.days).toHaveLength(366);
    const notADate = await cp.graphql(agency.apiKey, AGENCY_METRICS, { from: '2026-02-30', to: '2026-03-01' });
    expect(notADate.errors?.[0]?.message).toContain('Date must be a calendar date such as "2026-01-31", got "2026-02-30"');
  });

  it("shows another agency none of this agency's figures", async () => {
    const { data } = await cp.graphql<{ metrics: { totals: { missedCalls: number } } }>(other.apiKey, AGENCY_METRICS, { from: '2026-11-10', to: '2026-11-11' });
    expect(data!.metrics.totals.missedCalls).toBe(1);
    const theirs = await cp.graphql<{ subAccount: null }>(other.apiKey, SUB_METRICS, { id: A, from: '2026-11-10', to: '2026-11-11' });
    expect(theirs.data!.subAccount).toBeNull();
  });
});

describe('metrics after the daily rollup', () => {
  const read = async () => ({
    a: (await cp.graphql(agency.apiKey, SUB_METRICS, { id: A, from: '2026-11-09', to: '2026-11-12' })).data,
    b: (await cp.graphql(agency.apiKey, SUB_METRICS, { id: B, from: '2026-11-09', to: '2026-11-12' })).data,
    agency: (await cp.graphql(agency.apiKey, AGENCY_METRICS, { from: '2026-11-09', to: '2026-11-12' })).data,
    other: (await cp.graphql(other.apiKey, AGENCY_METRICS, { from: '2026-11-09', to: '2026-11-12' })).data,
  });
  const recoveredOn11th = async () => {
    const sub = await cp.graphql<{ subAccount: { metrics: { days: { recoveredLeads: number }[] } } }>(agency.apiKey, SUB_METRICS, { id: A, from: '2026-11-11', to: '2026-11-11' });
    const all = await cp.graphql<{ metrics: { days: { recoveredLeads: number }[] } }>(agency.apiKey, AGENCY_METRICS, { from: '2026-11-11', to: '2026-11-11' });
    return [sub.data!.subAccount.metrics.days[0]!.recoveredLeads, all.data!.metrics.days[0]!.recoveredLeads];
  };

  it('reads the same figures from the rolled-up days as from the calls themselves', async () => {
    const measured = await read();
    const report = await new MetricsRollup(cp.orm.em.fork()).run();
    expect(report).toMatchObject({ subAccounts: 3, resettled: true });
    expect(await select<{ n: number }>('select count(*)::int as n from metrics_days')).toEqual([{ n: expect.any(Number) }]);
    expect((await select<{ n: number }>('select count(*)::int as n from agency_metrics_days'))[0]!.n).toBeGreaterThan(0);
    expect(await read()).toEqual(measured);
    // Again: the same days measured again, nothing counted twice.
    await new MetricsRollup(cp.orm.em.fork()).run();
    expect(await read()).toEqual(measured);
  });

  it('re-rolls an old day whose callback task is completed later; until then the day reads as rolled up', async () => {
    expect(await recoveredOn11th()).toEqual([0, 0]);
    // CA-A7 (11-11, three weeks ago): its run's callback task is done today.
    const a3 = (await select<{ contact_id: string }>(`select contact_id from calls where call_sid = 'CA-A7'`))[0]!.contact_id;
    await run(A, 'textback/A/a3/CA-A7', a3, 'CA-A7');
    await sql(`insert into tasks (id, sub_account_id, contact_id, run_id, step_id, title, due_at, status, completed_at) values (?, ?, ?, 'textback/A/a3/CA-A7', 'callback', 'Call back', now(), 'done', now())`, [
      randomUUID(),
      A,
      a3,
    ]);
    expect(await recoveredOn11th()).toEqual([0, 0]);
    await new MetricsRollup(cp.orm.em.fork()).run(new Date(Date.now() + 1000));
    expect(await recoveredOn11th()).toEqual([1, 1]);
  });

  it("measures a sub-account's today as it happens; the agency's as of the last rollup", async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const subRange = async () =>
      (await cp.graphql<{ subAccount: { metrics: { totals: { missedCalls: number } } } }>(agency.apiKey, SUB_METRICS, { id: A, from: '2026-11-10', to: today })).data!.subAccount.metrics.totals
        .missedCalls;
    const agencyToday = async () => (await cp.graphql<{ metrics: { totals: { missedCalls: number } } }>(agency.apiKey, AGENCY_METRICS, { from: today, to: today })).data!.metrics.totals.missedCalls;
    const [sub, all] = [await subRange(), await agencyToday()];
    await call(A, { sid: 'CA-today-2', contactId: null, started: new Date(Date.now() - 5_000).toISOString(), outcome: 'declined', intakeSkip: 'untextable: anonymous' });
    expect(await subRange()).toBe(sub + 1);
    expect(await agencyToday()).toBe(all);
    await new MetricsRollup(cp.orm.em.fork()).run();
    expect(await agencyToday()).toBe(all + 1);
    expect(await subRange()).toBe(sub + 1);
  });

  it('counts a sub-account the rollup has not seen yet in its agency at once, and once after it has', async () => {
    const missedOn10th = async () =>
      (await cp.graphql<{ metrics: { days: { missedCalls: number }[] } }>(agency.apiKey, AGENCY_METRICS, { from: '2026-11-10', to: '2026-11-10' })).data!.metrics.days[0]!.missedCalls;
    const before = await missedOn10th();
    const C = randomUUID();
    await sql(
      `insert into sub_accounts (id, agency_id, name, time_zone, forwarding_number, incoming_call_timeout, created_at) values (?, ?, 'Denver client', 'America/Denver', '+15125550199', 18, now())`,
      [C, agency.agencyId],
    );
    await call(C, { sid: 'CA-C1', contactId: null, started: '2026-11-10T18:00:00Z', outcome: 'voicemail', intakeSkip: 'untextable: anonymous' });
    expect(await missedOn10th()).toBe(before + 1);
    await new MetricsRollup(cp.orm.em.fork()).run();
    expect(await missedOn10th()).toBe(before + 1);
  });

  it('lets one rollup run at a time', async () => {
    // Another worker's rollup holds the lock until its transaction ends.
    const em = cp.orm.em.fork();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const other = em.transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(${METRICS_ROLLUP_LOCK})`);
      locked();
      await held;
    });
    await holding;
    expect(await new MetricsRollup(cp.orm.em.fork()).run()).toBeNull();
    release();
    await other;
    expect(await new MetricsRollup(cp.orm.em.fork()).run()).toMatchObject({ subAccounts: 4 });
  });
});
