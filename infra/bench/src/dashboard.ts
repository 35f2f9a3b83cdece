/**
 * `npm run bench:dashboard` (or `npm run bench -- --dashboard`): the dashboard's metrics queries at
 * agency scale. Seeds one agency with 1,000 sub-accounts (eight time zones), 200,000 contacts and
 * 1,000,000 calls over 90 days with their texts, replies, team answers, runs and tasks, in a few
 * set-based statements (generate_series), then times the GraphQL requests the dashboard makes
 * against the control plane's app in this process, counting the SQL statements each one runs.
 * Writes the EXPLAIN (ANALYZE, BUFFERS) of the metrics statements next to the figures.
 */
import { createAgency, issueApiKey, ProviderAccounts } from '@mctb/control';
import { createControlPlaneApp } from '@mctb/control-plane';
import { createOrm, METRICS_STATEMENTS, MetricsRollup, migrate, type Orm } from '@mctb/db';
import { freePort, repoRoot, startEmbeddedPostgres } from '@mctb/devstack';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { percentiles, round } from './stats.js';

export interface DashboardPlan {
  subAccounts: number;
  calls: number;
  days: number;
  contactsPerSubAccount: number;
  iterations: number;
}

export const DASHBOARD_PLAN: DashboardPlan = { subAccounts: 1000, calls: 1_000_000, days: 90, contactsPerSubAccount: 200, iterations: 300 };

const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix', 'Pacific/Honolulu', 'Europe/London', 'Australia/Sydney'];
/** What a chart of a sub-account's days plots. */
const CHART = 'missedCalls textsSent textsDelivered replies recoveredLeads secondsToTextMedian';
const FIGURES = 'missedCalls byOutcome { outcome count } textsSent textsDelivered textsFailed textsSkipped skippedByReason { reason count } textedCalls replies replyRate secondsToTextMedian secondsToTextP90 secondsToFirstHumanResponseMedian optOuts recoveredLeads';

interface RollupTiming {
  subAccounts: number;
  daysMeasured: number;
  agencyDays: number;
  seconds: number;
}

interface QueryFigures {
  name: string;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** SQL statements per request (min–max over the requests). */
  statements: { min: number; max: number };
}

export async function dashboardBench(plan: DashboardPlan, log: (line: string) => void): Promise<{ seedSeconds: number; rows: Record<string, number>; rollups: Record<'first' | 'next', RollupTiming>; queries: QueryFigures[]; plansFile: string }> {
  const root = await mkdtemp(join(tmpdir(), 'mctb-bench-dashboard-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(root, 'pg'), port: await freePort(), persistent: false });
  let orm: Orm | undefined;
  try {
    orm = await createOrm(postgres.adminUrl, { poolSize: 8 });
    await migrate(orm);
    const em = orm.em.fork();
    const agency = await createAgency(em, 'Dashboard bench agency');
    const { token } = await issueApiKey(em, { agencyId: agency.id, name: 'bench' });

    log(`› seeding ${plan.subAccounts} sub-accounts, ${plan.calls.toLocaleString('en')} calls over ${plan.days} days`);
    const db = new pg.Client({ connectionString: postgres.adminUrl });
    await db.connect();
    const seedStarted = performance.now();
    const rows = await seed(db, agency.id, plan, log);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(`  seeded in ${round(seedSeconds, 1)} s: ${Object.entries(rows).map(([table, n]) => `${n.toLocaleString('en')} ${table}`).join(', ')}`);

    // The worker's rollup: first over all the history, then a run as every interval does (the last days again).
    const rollup = new MetricsRollup(orm.em.fork());
    const timed = async () => {
      const started = performance.now();
      const report = await rollup.run();
      return { ...report!, seconds: round((performance.now() - started) / 1000, 2) };
    };
    const firstRollup = await timed();
    log(`  first rollup (all history): ${firstRollup.daysMeasured.toLocaleString('en')} sub-account days, ${firstRollup.agencyDays} agency days in ${firstRollup.seconds} s`);
    const nextRollup = await timed();
    log(`  a later rollup (the last days again): ${nextRollup.daysMeasured.toLocaleString('en')} sub-account days, ${nextRollup.agencyDays} agency days in ${nextRollup.seconds} s`);
    await db.query('vacuum (analyze) metrics_days, agency_metrics_days, metrics_rollups');

    const statements = await countStatements(orm);
    const app = createControlPlaneApp({
      orm,
      plugins: firstPartyPlugins(),
      providerAccounts: new ProviderAccounts({ keyring: null, platform: null, allowUnverifiedClaims: true }),
    });
    const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await app.request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
      if (body.errors) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
      return body.data!;
    };
    const { rows: subRows } = await db.query<{ id: string }>('select id from sub_accounts where agency_id = $1 order by created_at, id', [agency.id]);
    const ids = subRows.map((row) => row.id);
    const today = new Date().toISOString().slice(0, 10);
    const daysBefore = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

    const measure = async (name: string, requests: number, request: (i: number) => Promise<unknown>, warmUp = 10): Promise<QueryFigures> => {
      for (let i = 0; i < warmUp; i++) await request(i); // connections, prepared statements, JIT of the resolvers
      const times: number[] = [];
      const counts: number[] = [];
      for (let i = 0; i < requests; i++) {
        const before = statements.count;
        const started = performance.now();
        await request(i);
        times.push(performance.now() - started);
        counts.push(statements.count - before);
      }
      const p = percentiles(times);
      const figures = { name, requests, p50: p.p50, p95: p.p95, p99: p.p99, max: Math.max(...times), statements: { min: Math.min(...counts), max: Math.max(...counts) } };
      log(`  ${name}: p50 ${round(p.p50, 1)} ms, p99 ${round(p.p99, 1)} ms, ${figures.statements.min}–${figures.statements.max} SQL statements per request`);
      return figures;
    };

    log('› the dashboard’s metrics queries, one at a time');
    const queries: QueryFigures[] = [];
    const pages = Math.ceil(ids.length / 100);
    queries.push(
      await measure("sub-accounts page (100) with today's figures", plan.iterations, (i) =>
        graphql('query ($after: ID) { subAccounts(first: 100, after: $after) { id name timeZone todayMetrics { date missedCalls textsSent textsDelivered replies replyRate } } }', {
          after: i % pages === 0 ? null : ids[(i % pages) * 100 - 1],
        }),
      ),
    );
    // A chart plots a few series a day and shows every figure for the range; the full request asks every figure of every day.
    const subAccountRange = (days: number, perDay: string) => (i: number) =>
      graphql(`query ($id: ID!, $from: Date!, $to: Date!) { subAccount(id: $id) { metrics(from: $from, to: $to) { ... on Metrics { days { date ${perDay} } totals { ${FIGURES} } } } } }`, {
        id: ids[(i * 7919) % ids.length],
        from: daysBefore(days - 1),
        to: today,
      });
    queries.push(await measure('sub-account chart, 30 days', plan.iterations, subAccountRange(30, CHART)));
    queries.push(await measure('sub-account chart, 90 days (all its calls)', plan.iterations, subAccountRange(90, CHART)));
    queries.push(await measure('sub-account, 90 days, every figure of every day', plan.iterations, subAccountRange(90, FIGURES)));
    const agencyRange = (days: number) => () =>
      graphql(`query ($from: Date!, $to: Date!) { metrics(from: $from, to: $to) { ... on Metrics { days { date ${FIGURES} } totals { ${FIGURES} } } } }`, { from: daysBefore(days - 1), to: today });
    queries.push(await measure('agency figures, today', Math.ceil(plan.iterations / 5), agencyRange(1), 3));
    queries.push(await measure('agency chart, 7 days', Math.ceil(plan.iterations / 10), agencyRange(7), 2));
    queries.push(await measure('agency chart, 30 days', Math.ceil(plan.iterations / 30), agencyRange(30), 1));

    const plansFile = await explainPlans(db, agency.id, ids, daysBefore, today);
    await db.end();
    return { seedSeconds, rows, rollups: { first: firstRollup, next: nextRollup }, queries, plansFile };
  } finally {
    await orm?.close();
    await postgres.stop();
    await rm(postgres.dataDir, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  }
}

/** Counts every statement the ORM's connections run (knex's and the plain-SQL stores' alike). */
async function countStatements(orm: Orm): Promise<{ count: number }> {
  const counter = { count: 0 };
  const client = orm.em.getConnection().getKnex().client as { acquireConnection(): Promise<object>; releaseConnection(c: object): Promise<void> };
  const connection = await client.acquireConnection();
  const proto = Object.getPrototypeOf(connection) as { query: (...args: unknown[]) => unknown };
  await client.releaseConnection(connection);
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    counter.count++;
    return original.apply(this, args);
  };
  return counter;
}

async function seed(db: pg.Client, agencyId: string, plan: DashboardPlan, log: (line: string) => void): Promise<Record<string, number>> {
  const step = async (what: string, sql: string, values: unknown[] = []) => {
    const started = performance.now();
    const result = await db.query(sql, values);
    log(`  ${what}: ${(result.rowCount ?? 0).toLocaleString('en')} rows in ${round((performance.now() - started) / 1000, 1)} s`);
    return result.rowCount ?? 0;
  };
  const subs = plan.subAccounts;
  const perSub = plan.contactsPerSubAccount;
  const secondsApart = (plan.days * 86_400) / plan.calls;
  const rows: Record<string, number> = {};
  rows['sub-accounts'] = await step(
    'sub-accounts',
    `insert into sub_accounts (id, agency_id, name, time_zone, forwarding_number, incoming_call_timeout, created_at)
     select md5('sa' || s)::uuid, $1, 'Bench client ' || s, ($2::text[])[1 + s % ${ZONES.length}], '+15125550199', 18, now() - interval '1 year' + s * interval '1 second'
       from generate_series(0, ${subs - 1}) s`,
    [agencyId, ZONES],
  );
  // One contact in 50 opted out, on some day of the range.
  rows.contacts = await step(
    'contacts',
    `insert into contacts (id, sub_account_id, phone, source, opted_out_at, created_at)
     select md5('ct' || s || '/' || c)::uuid, md5('sa' || s)::uuid, '+1' || (2000000000 + s * 1000 + c)::text, 'missed_call',
            case when c % 50 = 0 then now() - (c % ${plan.days}) * interval '1 day' - s * interval '1 minute' end, now() - interval '100 days'
       from generate_series(0, ${subs - 1}) s, generate_series(0, ${perSub - 1}) c`,
  );
  // Calls spread evenly over the days up to now, round-robin over sub-accounts. Outcomes: 30% answered, 30% no answer,
  // 10% each declined, voicemail, abandoned, failed; of the missed: 10% skipped by intake, 10% by the workflow, the rest texted.
  rows.calls = await step(
    'calls',
    `insert into calls (id, sub_account_id, call_sid, from_raw, caller_phone, to_number, contact_id, outcome, outcome_source, intake_decision, intake_reason,
                        text_back_status, text_back_reason, started_at, ended_at, signalled_at)
     select md5('call' || i)::uuid, md5('sa' || s)::uuid, 'CA' || md5('call' || i), phone, phone, '+15125550100', md5('ct' || s || '/' || c)::uuid,
            outcome, 'dial',
            case when outcome = 'answered' or r % 10 = 9 then 'skip' else 'text_back' end,
            case when outcome = 'answered' then 'answered' when r % 10 = 9 then 'untextable: anonymous' end,
            case when outcome = 'answered' or r % 10 = 9 then null when r % 10 = 8 then 'skipped' else 'sent' end,
            case when outcome <> 'answered' and r % 10 = 8 then 'excluded: active conversation' end,
            started, started + interval '25 seconds', started + interval '25 seconds'
       from (select i, s, c, r, started, '+1' || (2000000000 + s * 1000 + c)::text as phone,
                    (array['answered','answered','answered','no_answer','no_answer','no_answer','declined','voicemail','abandoned','failed'])[1 + (r / 10) % 10] as outcome
               from (select i, i % ${subs} as s, (i / ${subs}) % ${perSub} as c, (hashtext('r' || i) & 2147483647) % 100 as r, now() - i * interval '${secondsApart} seconds' as started
                       from generate_series(0, ${plan.calls - 1}) i) g) o`,
  );
  // Each texted call: its text 30-90 s after it ended (5% failed, 5% undelivered), its run; a quarter of the callers reply
  // within half an hour, a team member answers half of those within an hour; a tenth of the runs made a callback task.
  rows['text-backs'] = await step(
    'text-backs',
    `insert into messages (id, sub_account_id, contact_id, call_id, direction, from_number, to_number, body, status, provider, provider_message_id, intent_id, created_at, updated_at)
     select md5('m' || c.id)::uuid, c.sub_account_id, c.contact_id, c.id, 'outbound', '+15125550100', c.caller_phone, 'Sorry we missed your call!',
            case when h % 20 = 0 then 'failed' when h % 20 = 1 then 'undelivered' else 'delivered' end, 'twilio', 'SM' || md5('m' || c.id),
            c.sub_account_id || '/' || c.call_sid || '/textback', c.ended_at + (30 + h % 61) * interval '1 second', c.ended_at + (30 + h % 61) * interval '1 second'
       from (select id, sub_account_id, contact_id, caller_phone, call_sid, ended_at, (hashtext(id::text) & 2147483647) as h from calls where text_back_status = 'sent') c`,
  );
  rows.replies = await step(
    'replies',
    `insert into messages (id, sub_account_id, contact_id, call_id, direction, from_number, to_number, body, status, provider, provider_message_id, created_at, updated_at)
     select md5('r' || m.id)::uuid, m.sub_account_id, m.contact_id, null, 'inbound', m.to_number, m.from_number, 'Yes please call me back', 'received', 'twilio', 'SM' || md5('r' || m.id),
            m.created_at + (120 + h % 1680) * interval '1 second', m.created_at + (120 + h % 1680) * interval '1 second'
       from (select *, (hashtext(id::text) & 2147483647) as h from messages where call_id is not null and status <> 'failed') m where m.h % 4 = 0`,
  );
  rows['team answers'] = await step(
    'team answers',
    `insert into messages (id, sub_account_id, contact_id, call_id, direction, from_number, to_number, body, status, provider, provider_message_id, intent_id, created_at, updated_at)
     select md5('h' || m.id)::uuid, m.sub_account_id, m.contact_id, null, 'outbound', m.to_number, m.from_number, 'Sure, calling you now', 'delivered', 'twilio', 'SM' || md5('h' || m.id),
            'manual-message/' || m.sub_account_id || '/reply/' || m.id || '/send', m.created_at + (60 + h % 3540) * interval '1 second', m.created_at + (60 + h % 3540) * interval '1 second'
       from (select *, (hashtext('h' || id::text) & 2147483647) as h from messages where direction = 'inbound') m where m.h % 2 = 0`,
  );
  rows.runs = await step(
    'automation runs',
    `insert into automation_runs (id, sub_account_id, contact_id, workflow_key, snapshot_slug, snapshot_version, trigger_type, trigger_ref, temporal_workflow_id, status, started_at, updated_at, ended_at)
     select 'textback/' || c.sub_account_id || '/' || c.caller_phone || '/' || c.call_sid, c.sub_account_id, c.contact_id, 'call.missed', 'starter', 1, 'call.missed', c.call_sid,
            'textback/' || c.sub_account_id || '/' || c.caller_phone, 'completed', c.ended_at, c.ended_at, c.ended_at + interval '1 day'
       from calls c where c.text_back_status = 'sent'`,
  );
  rows.tasks = await step(
    'tasks',
    `insert into tasks (id, sub_account_id, contact_id, run_id, step_id, title, due_at, status, created_at, completed_at)
     select md5('t' || r.id)::uuid, r.sub_account_id, r.contact_id, r.id, 'callback', 'Call back', r.started_at + interval '1 hour',
            case when h % 2 = 0 then 'done' else 'open' end, r.started_at, case when h % 2 = 0 then r.started_at + interval '2 hours' end
       from (select *, (hashtext(id) & 2147483647) as h from automation_runs) r where r.h % 10 = 0`,
  );
  // As autovacuum would leave them in production (and so it doesn't start in the middle of the measurements).
  await step('vacuum and analyze', 'vacuum (analyze)');
  return rows;
}

/** EXPLAIN (ANALYZE, BUFFERS) of the statements behind the timed requests, with the values they ran with. */
async function explainPlans(db: pg.Client, agencyId: string, ids: string[], daysBefore: (n: number) => string, today: string): Promise<string> {
  const now = new Date();
  const cases: [string, string, unknown[]][] = [
    ["today's figures of a page of 100 sub-accounts", METRICS_STATEMENTS.today, [ids.slice(0, 100), now]],
    ['one sub-account, 30 days', METRICS_STATEMENTS.subAccounts, [[ids[17]], daysBefore(29), today, now]],
    ['one sub-account, 90 days', METRICS_STATEMENTS.subAccounts, [[ids[17]], daysBefore(89), today, now]],
    ['the agency, 7 days', METRICS_STATEMENTS.agency, [agencyId, daysBefore(6), today]],
    ['the agency, 30 days', METRICS_STATEMENTS.agency, [agencyId, daysBefore(29), today]],
  ];
  let text = '';
  for (const [name, sql, values] of cases) {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, values);
    text += `-- ${name}\n${rows.map((row) => row['QUERY PLAN']).join('\n')}\n\n`;
  }
  const dir = join(repoRoot, 'bench-results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `dashboard-plans-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`);
  await writeFile(file, text);
  return file;
}
