// What one missed call costs PostgreSQL, measured on the real platform (the bench stack: gateway,
// worker, Temporal dev server, embedded PostgreSQL, the Twilio stand-in): rows inserted, updated
// and deleted per table, WAL bytes, transactions and on-disk growth per call, from
// pg_stat_user_tables / pg_current_wal_lsn deltas around N calls (each a new caller, texted at once).
// Also the CPU seconds each process of the stack spent per call (from /proc, an idle interval of the
// same length subtracted), to split the benchmark's whole-stack figures between components.
// Run after `npm run build` (Linux):  node infra/deploy/scripts/capacity-sample.mjs [calls=300] [rate=5]
// Figures feed infra/deploy/CAPACITY.md.
import { readdirSync, readFileSync } from 'node:fs';
import pg from '../../devstack/node_modules/pg/lib/index.js';
import { startBenchStack, caller } from '../../bench/dist/bench-stack.js';
import { missedCall, takeCallers } from '../../bench/dist/missed-calls.js';

const calls = Number(process.argv[2] ?? 300);
const rate = Number(process.argv[3] ?? 5);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const TICKS = 100; // USER_HZ on Linux
function processes() {
  const all = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      all.set(Number(entry), { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS, cmd });
    } catch {
      // gone
    }
  }
  return all;
}
/** CPU seconds so far of this process's descendants, by component. */
function cpuByComponent() {
  const all = processes();
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of all) {
      if (!mine.has(pid) && mine.has(p.ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  const totals = {};
  for (const pid of mine) {
    if (pid === process.pid) continue;
    const { cmd, cpu } = all.get(pid);
    const component = cmd.includes('services/gateway/') ? 'gateway' : cmd.includes('services/worker/') ? 'worker' : cmd.includes('services/control-plane/') ? 'control-plane'
      : /temporal/.test(cmd) && /server/.test(cmd) ? 'temporal' : /postgres/.test(cmd) ? 'postgresql' : 'other (stand-ins, baselines)';
    totals[component] = (totals[component] ?? 0) + cpu;
  }
  return totals;
}
const diff = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, (a[k] ?? 0) - (b[k] ?? 0)]));

async function snapshot(db) {
  const tables = await db.query(`select relname, n_tup_ins::bigint as ins, n_tup_upd::bigint as upd, n_tup_hot_upd::bigint as hot, n_tup_del::bigint as del,
      pg_total_relation_size(relid)::bigint as bytes from pg_stat_user_tables`);
  const wal = await db.query(`select pg_current_wal_lsn() as lsn`);
  const xact = await db.query(`select xact_commit::bigint as commits, tup_fetched::bigint as fetched, blks_read::bigint + blks_hit::bigint as blocks from pg_stat_database where datname = current_database()`);
  return { tables: Object.fromEntries(tables.rows.map((r) => [r.relname, r])), lsn: wal.rows[0].lsn, ...xact.rows[0] };
}

const stack = await startBenchStack(() => undefined);
const db = new pg.Client({ connectionString: stack.databaseUrl });
await db.connect();
try {
  // Warm up (connections, workflow cache), then let the statistics collector settle.
  await Promise.all(takeCallers(10).map((i) => missedCall(stack, i)));
  await sleep(3_000);
  await db.query('select pg_stat_force_next_flush()').catch(() => undefined);
  await sleep(1_500);
  // Idle for as long as the calls will take: what the stack burns with no traffic (polling, sweeper).
  const idleSeconds = calls / rate;
  const idleStart = cpuByComponent();
  await sleep(idleSeconds * 1000);
  const idleCpu = diff(cpuByComponent(), idleStart);
  const before = await snapshot(db);
  const cpuBefore = cpuByComponent();
  const ids = takeCallers(calls);
  const started = Date.now();
  for (const [n, i] of ids.entries()) {
    const due = started + (n * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    void missedCall(stack, i);
  }
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && ids.some((i) => !stack.sentAt.has(caller(i)))) await sleep(200);
  await sleep(3_000);
  await db.query('select pg_stat_force_next_flush()').catch(() => undefined);
  await sleep(1_500);
  const cpuAfter = cpuByComponent();
  const busyCpu = diff(cpuAfter, cpuBefore);
  const after = await snapshot(db);
  const texted = ids.filter((i) => stack.sentAt.has(caller(i))).length;
  const walBytes = Number((await db.query('select pg_wal_lsn_diff($1, $2)::bigint as d', [after.lsn, before.lsn])).rows[0].d);
  const perCall = (value) => Math.round((value / calls) * 100) / 100;
  const rows = Object.keys(after.tables)
    .map((name) => {
      const a = after.tables[name];
      const b = before.tables[name] ?? { ins: 0, upd: 0, hot: 0, del: 0, bytes: 0 };
      return { table: name, inserts: perCall(a.ins - b.ins), updates: perCall(a.upd - b.upd), hotUpdates: perCall(a.hot - b.hot), deletes: perCall(a.del - b.del), bytes: perCall(a.bytes - b.bytes) };
    })
    .filter((r) => r.inserts || r.updates || r.deletes)
    .sort((x, y) => y.inserts + y.updates - (x.inserts + x.updates));
  const elapsed = (Date.now() - started) / 1000;
  // CPU during the calls (which lasted `elapsed` s, the idle interval idleSeconds) less the idle rate.
  const cpuMsPerCall = Object.fromEntries(Object.keys(busyCpu).map((k) => [k, Math.round(((busyCpu[k] - ((idleCpu[k] ?? 0) * elapsed) / idleSeconds) / calls) * 1000 * 10) / 10]));
  console.log(JSON.stringify({ calls, rate, texted, elapsedSeconds: elapsed, idleCpuSeconds: idleCpu, cpuMsPerCall, perCall: { walBytes: perCall(walBytes), commits: perCall(after.commits - before.commits), blocksTouched: perCall(after.blocks - before.blocks), tables: rows } }, null, 1));
} finally {
  await db.end();
  await stack.stop();
}
