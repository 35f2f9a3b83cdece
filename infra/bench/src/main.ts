/**
 * `npm run bench [-- --quick]`: the platform's figures next to baselines measured in the same run
 * (absolute numbers on a shared 2-core machine drift; ratios don't). Prints a table and writes every
 * sample to bench-results/. Not a test: nothing is asserted.
 *
 * `npm run bench -- --dashboard` (also `npm run bench:dashboard`) runs the dashboard's metrics
 * queries over 1,000 sub-accounts and 1,000,000 calls instead (see dashboard.ts).
 *
 * `npm run bench -- --cluster [--quick]` measures episodes/s on the real Temporal server on
 * PostgreSQL instead, with 1 and then 3 worker processes, each next to the bare-workflow baseline
 * on the same cluster with as many bare workers, and what each process used of the CPU meanwhile.
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { HOT_NUMBER, PLUGIN_NUMBER, caller, startBenchStack } from './bench-stack.js';
import { bareBurst, historyShape, interleavedIngest, type Ingest } from './baselines.js';
import { measureCpu, type CpuFigures } from './cpu.js';
import { rssMb, waitingRunsMemory } from './memory.js';
import { DASHBOARD_PLAN, dashboardBench } from './dashboard.js';
import { burst, highestRate, missedCall, openLoop, takeCallers } from './missed-calls.js';
import { provisioningBench, type ProvisioningFigures } from './provisioning.js';
import { printTable, saveResults } from './report.js';
import { startupSeconds } from './startup.js';
import { quantile, round, sleep } from './stats.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'skip-startup': { type: 'boolean', default: false },
    /** Text-backs left waiting for the memory figure (default 10,000; 300 with --quick). */
    waiting: { type: 'string' },
    /** Sub-accounts one provisioning run creates (default 1,000; 100 with --quick). */
    'provision-targets': { type: 'string' },
    /** Only the dashboard's metrics queries at 1,000 sub-accounts and 1,000,000 calls (--calls to change). */
    dashboard: { type: 'boolean', default: false },
    calls: { type: 'string' },
    /** Only episodes/s, on the real Temporal server on PostgreSQL with 1 and then 3 worker processes. */
    cluster: { type: 'boolean', default: false },
  },
});
if (values.dashboard) {
  await runDashboardBench();
  process.exit(0);
}
const quick = values.quick;
const plan = quick
  ? { fixedRate: 5, fixedSeconds: 6, rates: [5, 10, 20], rateSeconds: 5, episodes: 100, ingestSeconds: 2, ingestRounds: 1, waiting: 300, provisionTargets: 100 }
  : { fixedRate: 5, fixedSeconds: 20, rates: [5, 10, 15, 20, 25, 30, 40, 50], rateSeconds: 15, episodes: 1000, ingestSeconds: 5, ingestRounds: 5, waiting: 10_000, provisionTargets: 1000 };
if (values.waiting !== undefined) plan.waiting = Number(values.waiting);
if (values['provision-targets'] !== undefined) plan.provisionTargets = Number(values['provision-targets']);
const log = (line: string) => console.log(line);
const quiet = () => undefined;
if (values.cluster) {
  await runClusterBench();
  process.exit(0);
}

log(`› mctb bench${quick ? ' (quick)' : ''}: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`);
const stack = await startBenchStack(quiet);
const results: Record<string, unknown> = {};
try {
  const workerAtStartMb = await rssMb(stack.worker.process.pid);
  // Warm up: the first calls pay for connections and the workflow code cache.
  await Promise.all(takeCallers(10).map((i) => missedCall(stack, i)));
  await Promise.all(takeCallers(5).map((i) => missedCall(stack, i, PLUGIN_NUMBER)));
  await new Promise((resolve) => setTimeout(resolve, 3_000));

  log(`› missed call → provider send at ${plan.fixedRate}/s for ${plan.fixedSeconds}s`);
  const fixed = await openLoop(stack, plan.fixedRate, plan.fixedSeconds);
  results.fixedRate = fixed;

  log(`› the same with a remote plugin asked before each text (textback.beforeSend), ${plan.fixedRate}/s for ${plan.fixedSeconds}s`);
  results.withPlugin = await openLoop(stack, plan.fixedRate, plan.fixedSeconds, PLUGIN_NUMBER);

  log('› the highest rate that holds (p99 under 1 s, flat)');
  results.highestRate = await highestRate(stack, plan.rates, plan.rateSeconds, log);

  log(`› episodes/s: ${plan.episodes} bare workflows with one activity, then ${plan.episodes} missed calls at once`);
  // The baseline first, on the same server before the platform's runs sit in it.
  const bare = await bareBurst(stack, plan.episodes, 50, 'burst');
  const episodes = await burst(stack, plan.episodes, 50);
  results.episodes = { platform: episodes, bare };

  // One episode as Temporal recorded it (the run stays open for its dedup window), next to a bare run.
  results.history = {
    textBack: await historyShape(stack, `textback/${await subAccountOf(HOT_NUMBER)}/${episodes.lastCaller}`),
    bare: await historyShape(stack, 'bare-burst-0'),
  };

  log(`› webhook ingest, ${plan.ingestRounds} alternating rounds of ${plan.ingestSeconds}s (median): the idempotent dial result, a bare Hono + one INSERT … ON CONFLICT, a hello-world`);
  const settled = takeCallers(1)[0]!;
  await missedCall(stack, settled);
  const params = { CallSid: `CA-bench-${settled}`, From: caller(settled), To: HOT_NUMBER, CallStatus: 'in-progress', DialCallStatus: 'no-answer' };
  const gatewayRequest = stack.signedRequest('/twilio/voice/dial-result?accept=0&amd=1&min=0', params);
  results.ingest = await interleavedIngest(
    {
      gateway: gatewayRequest,
      bareWrite: { url: `${stack.bareHttpUrl}/write`, body: gatewayRequest.body, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      helloWorld: { url: `${stack.bareHttpUrl}/hello`, body: '', headers: {} },
    },
    plan.ingestSeconds,
    plan.ingestRounds,
  );

  log(`› worker memory with ${plan.waiting} text-backs waiting`);
  results.memory = { ...(await waitingRunsMemory(stack, plan.waiting, log)), atStartMb: workerAtStartMb };

  // Last: once the agency's account holds numbers at the stand-in, texts go out only from those.
  log(`› provisioning one snapshot into ${plan.provisionTargets} new sub-accounts, then the same push again`);
  results.provisioning = await provisioningBench(stack, plan.provisionTargets);
} finally {
  await stack.stop();
}
if (!values['skip-startup']) {
  log('› npm start to ready');
  results.startup = await startupSeconds();
}

await report();

async function subAccountOf(number: string): Promise<string> {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>('select sub_account_id as id from phone_numbers where e164 = $1', [number]);
    return rows[0]!.id;
  } finally {
    await db.end();
  }
}

async function report(): Promise<void> {
  const fixedRate = results.fixedRate as Awaited<ReturnType<typeof openLoop>>;
  const withPlugin = results.withPlugin as Awaited<ReturnType<typeof openLoop>>;
  const rate = results.highestRate as Awaited<ReturnType<typeof highestRate>>;
  const episodes = results.episodes as { platform: Awaited<ReturnType<typeof burst>>; bare: Awaited<ReturnType<typeof bareBurst>> };
  const history = results.history as { textBack: Awaited<ReturnType<typeof historyShape>>; bare: Awaited<ReturnType<typeof historyShape>> };
  const ingestResults = results.ingest as Record<'gateway' | 'bareWrite' | 'helloWorld', Ingest>;
  const memory = results.memory as Awaited<ReturnType<typeof waitingRunsMemory>> & { atStartMb: number };
  const provisioning = results.provisioning as ProvisioningFigures;
  const startup = results.startup as Awaited<ReturnType<typeof startupSeconds>> | undefined;
  const lost = fixedRate.lost + withPlugin.lost + rate.steps.reduce((sum, s) => sum + s.lost, 0) + episodes.platform.lost;
  const duplicates = fixedRate.duplicates + withPlugin.duplicates + rate.steps.reduce((sum, s) => sum + s.duplicates, 0) + episodes.platform.duplicates;
  const rows: [string, string, string, string, string][] = [
    ['figure', 'platform', 'baseline', 'ratio', 'target'],
    [`missed call → send at ${fixedRate.rate}/s (p50/p95/p99 ms)`, `${round(fixedRate.latency.p50)} / ${round(fixedRate.latency.p95)} / ${round(fixedRate.latency.p99)}`, '', '', 'p50 ≤ 150'],
    [
      `… with a remote beforeSend hook (p50/p95/p99 ms)`,
      `${round(withPlugin.latency.p50)} / ${round(withPlugin.latency.p95)} / ${round(withPlugin.latency.p99)}`,
      `${round(fixedRate.latency.p50)} without`,
      `+${round(withPlugin.latency.p50 - fixedRate.latency.p50)} ms p50`,
      '',
    ],
    ['highest rate that holds (calls/s)', `${rate.highest}`, '', '', '≥ 20'],
    ['episodes/s (burst)', `${round(episodes.platform.perSecond, 1)}`, `${round(episodes.bare.perSecond, 1)} bare wf/s`, `${round(episodes.platform.perSecond / episodes.bare.perSecond, 2)}`, '≥ 0.6'],
    ['history per episode (events / wf tasks / activities / local)', `${history.textBack.events} / ${history.textBack.workflowTasks} / ${history.textBack.activities} / ${history.textBack.localActivities}`, `${history.bare.events} / ${history.bare.workflowTasks} / ${history.bare.activities} / ${history.bare.localActivities}`, '', ''],
    ['ingest, idempotent dial result (req/s, p99 ms)', `${round(ingestResults.gateway.requestsPerSecond)} (${ingestResults.gateway.p99})`, `${round(ingestResults.bareWrite.requestsPerSecond)} (${ingestResults.bareWrite.p99}) Hono+INSERT`, `${round(ingestResults.gateway.requestsPerSecond / ingestResults.bareWrite.requestsPerSecond, 2)}`, '≥ 0.5 and ≥ 2000'],
    ['ingest, hello-world (req/s)', '', `${round(ingestResults.helloWorld.requestsPerSecond)}`, `${round(ingestResults.gateway.requestsPerSecond / ingestResults.helloWorld.requestsPerSecond, 3)}`, ''],
    [`worker RSS, ${memory.waiting} runs waiting (MB)`, `${round(memory.rssMb)}`, `${round(memory.atStartMb)} at start, ${round(memory.idleRssMb)} before`, '', '≤ 500 at 10,000'],
    [
      `provision ${provisioning.targets} new sub-accounts / the same push again (s)`,
      `${round(provisioning.firstSeconds, 1)} / ${round(provisioning.rerunSeconds, 1)}`,
      `${round((provisioning.firstSeconds * 1000) / provisioning.targets, 1)} / ${round((provisioning.rerunSeconds * 1000) / provisioning.targets, 1)} ms per target`,
      `${provisioning.applied} applied, ${provisioning.unchanged} unchanged, ${provisioning.failed} failed`,
      '≤ 60 / ≤ 10 at 1,000',
    ],
    ['npm start to ready, first / warm (s)', startup ? `${round(startup.firstSeconds, 1)} / ${round(startup.warmSeconds, 1)}` : 'skipped', '', '', ''],
    ['lost / duplicate texts', `${lost} / ${duplicates}`, '', '', '0 / 0'],
  ];
  printTable(rows);
  const file = await saveResults('bench', quick ? '-quick' : '', { quick, cores: cpus().length, at: new Date().toISOString(), results });
  console.log(`\nEvery sample: ${file}`);
}

async function runDashboardBench(): Promise<void> {
  const plan = { ...DASHBOARD_PLAN, ...(values.calls !== undefined ? { calls: Number(values.calls) } : {}) };
  console.log(`› mctb bench --dashboard: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`);
  const figures = await dashboardBench(plan, (line) => console.log(line));
  const rows = [['dashboard request', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'SQL per request', 'target'], ...figures.queries.map((q) => [
    `${q.name} (${q.requests}×)`,
    `${round(q.p50, 1)}`,
    `${round(q.p95, 1)}`,
    `${round(q.p99, 1)}`,
    `${round(q.max, 1)}`,
    q.statements.min === q.statements.max ? `${q.statements.min}` : `${q.statements.min}–${q.statements.max}`,
    'p99 ≤ 50',
  ])];
  printTable(rows);
  const { first, next } = figures.rollups;
  console.log(`\nRollup: first run ${first.seconds} s (${first.daysMeasured.toLocaleString('en')} sub-account days), each later run ${next.seconds} s (${next.daysMeasured.toLocaleString('en')})`);
  const file = await saveResults('bench-dashboard', '', { cores: cpus().length, at: new Date().toISOString(), plan, ...figures });
  console.log(`\nEvery figure: ${file}\nQuery plans: ${figures.plansFile}`);
}

async function runClusterBench(): Promise<void> {
  // Rounds alternate (1 worker, 3 workers, 1, 3, …) and each figure is the median of its rounds: on
  // a shared 2-core machine whatever else runs moves a single measurement by up to a factor of two,
  // and whichever worker count went first would carry it.
  const rounds = quick ? 1 : 3;
  const episodes = quick ? 100 : 500;
  const concurrency = 50;
  log(`› mctb bench --cluster${quick ? ' (quick)' : ''}: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`);
  log('› the Temporal server on PostgreSQL (the bench\'s own), a gateway, a worker and the bare baseline\'s worker');
  const stack = await startBenchStack(quiet, { temporal: 'cluster' });
  type Role = ReturnType<typeof stack.processes>[number]['role'];
  interface Phase {
    round: number;
    workers: number;
    platform: Awaited<ReturnType<typeof burst>>;
    bare: Awaited<ReturnType<typeof bareBurst>>;
    platformCpu: CpuFigures<Role>;
    bareCpu: CpuFigures<Role>;
  }
  const phases: Phase[] = [];
  try {
    for (let n = 1; n <= rounds; n += 1) {
      for (const workers of [1, 3]) {
        while (stack.workers.length < workers) await stack.addWorker();
        while (stack.workers.length > workers) await stack.removeWorker();
        while (stack.bareWorkers.length < workers) await stack.addBareWorker();
        while (stack.bareWorkers.length > workers) await stack.removeBareWorker();
        // Warm up every worker: connections, the workflow code cache, the task queue's pollers.
        await Promise.all(takeCallers(10 * workers).map((i) => missedCall(stack, i)));
        await bareBurst(stack, 10 * workers, 10, `warm-${n}-${workers}`);
        await sleep(3_000);
        const processes = `${workers} worker process${workers === 1 ? '' : 'es'}`;
        log(`› ${rounds > 1 ? `round ${n}/${rounds}, ` : ''}${processes}: ${episodes} bare one-activity workflows (as many bare workers), then ${episodes} missed calls, ${concurrency} in flight`);
        // The baseline first, before this phase's runs sit in the cluster.
        const bare = await measureCpu(stack.processes, () => bareBurst(stack, episodes, concurrency, `cluster-${n}-${workers}`));
        // Until the last text (not the wait for any that never come).
        const platform = await measureCpu(stack.processes, () => burst(stack, episodes, concurrency), (r) => r.seconds * 1000);
        phases.push({ round: n, workers, platform: platform.result, bare: bare.result, platformCpu: platform.cpu, bareCpu: bare.cpu });
        const cpu = platform.cpu;
        log(
          `  ${round(platform.result.perSecond, 1)} episodes/s, ${round(bare.result.perSecond, 1)} bare wf/s; CPU during the episodes (cores): ` +
            `temporal ${round(cpu.byRole.temporal, 2)}, postgres ${round(cpu.byRole.postgres, 2)}, workers ${round(cpu.byRole.worker, 2)}, ` +
            `gateway ${round(cpu.byRole.gateway, 2)}, bench ${round(cpu.bench, 2)}, machine ${round(cpu.machineBusy, 2)} of ${cpu.machineCores}`,
        );
      }
    }
  } finally {
    await stack.stop();
  }

  const median = (values: number[]) => quantile(values, 0.5);
  const summary = (workers: number) => {
    const of = phases.filter((phase) => phase.workers === workers);
    const cpu = (pick: (figures: CpuFigures<Role>) => number, which: 'platformCpu' | 'bareCpu') => median(of.map((phase) => pick(phase[which])));
    return {
      workers,
      episodesPerSecond: median(of.map((phase) => phase.platform.perSecond)),
      bareWorkflowsPerSecond: median(of.map((phase) => phase.bare.perSecond)),
      /** Each round's episodes / bare (measured back to back), the median. */
      ratio: median(of.map((phase) => phase.platform.perSecond / phase.bare.perSecond)),
      rounds: of.map((phase) => round(phase.platform.perSecond, 1)),
      bareRounds: of.map((phase) => round(phase.bare.perSecond, 1)),
      lost: of.reduce((sum, phase) => sum + phase.platform.lost, 0),
      duplicates: of.reduce((sum, phase) => sum + phase.platform.duplicates, 0),
      cpu,
    };
  };
  const one = summary(1);
  const three = summary(3);
  const scaling = three.episodesPerSecond / one.episodesPerSecond;
  const withRounds = (value: number, all: number[]) => `${round(value, 1)}${all.length > 1 ? ` (${all.join(', ')})` : ''}`;
  const cpuRow = (label: string, pick: (figures: CpuFigures<Role>) => number): [string, string, string, string, string] => [
    `  ${label}`,
    `${round(one.cpu(pick, 'platformCpu'), 2)}`,
    `${round(three.cpu(pick, 'platformCpu'), 2)}`,
    '',
    `${round(one.cpu(pick, 'bareCpu'), 2)} / ${round(three.cpu(pick, 'bareCpu'), 2)}`,
  ];
  const machineCores = phases[0]!.platformCpu.machineCores;
  const perEpisode: ((figures: CpuFigures<Role>) => number)[] = [(f) => f.byRole.temporal, (f) => f.byRole.postgres, (f) => f.byRole.worker, (f) => f.byRole.gateway];
  const rows: [string, string, string, string, string][] = [
    [`Temporal server on PostgreSQL${rounds > 1 ? `, median of ${rounds} alternating rounds` : ''}`, '1 worker', '3 workers', '3 / 1', 'target'],
    [`episodes/s (${episodes} missed calls, ${concurrency} in flight)`, withRounds(one.episodesPerSecond, one.rounds), withRounds(three.episodesPerSecond, three.rounds), `${round(scaling, 2)}`, ''],
    [`bare wf/s (${episodes} one-activity workflows, as many bare workers)`, withRounds(one.bareWorkflowsPerSecond, one.bareRounds), withRounds(three.bareWorkflowsPerSecond, three.bareRounds), `${round(three.bareWorkflowsPerSecond / one.bareWorkflowsPerSecond, 2)}`, ''],
    ['episodes / bare (each round\'s, median)', `${round(one.ratio, 2)}`, `${round(three.ratio, 2)}`, '', '≥ 0.6'],
    ['CPU during the episodes (cores, median)', '', '', '', 'bare runs, 1 / 3'],
    cpuRow('Temporal server', (f) => f.byRole.temporal),
    cpuRow('PostgreSQL (all backends)', (f) => f.byRole.postgres),
    cpuRow('worker processes', (f) => f.byRole.worker),
    cpuRow('bare worker processes', (f) => f.byRole['bare-worker']),
    cpuRow('gateway', (f) => f.byRole.gateway),
    cpuRow('bench (load, stand-in Twilio)', (f) => f.bench),
    cpuRow(`machine busy, of ${machineCores} (others' work too)`, (f) => f.machineBusy),
    cpuRow('machine waiting on disk', (f) => f.machineIowait),
    [
      'CPU ms per episode: Temporal / PostgreSQL / workers / gateway',
      ...[one, three].map((s) => perEpisode.map((pick) => round(s.cpu((f) => (pick(f) * f.seconds * 1000) / episodes, 'platformCpu'))).join(' / ')),
      '',
      [one, three].map((s) => perEpisode.slice(0, 2).map((pick) => round(s.cpu((f) => (pick(f) * f.seconds * 1000) / episodes, 'bareCpu'))).join(' / ')).join(', ') + ' (server)',
    ] as [string, string, string, string, string],
    ['lost / duplicate texts', `${one.lost} / ${one.duplicates}`, `${three.lost} / ${three.duplicates}`, '', '0 / 0'],
  ];
  printTable(rows);
  if (machineCores < 4) {
    console.log(`\nOn ${machineCores} cores, 3 workers share the CPU with the Temporal server, PostgreSQL and the gateway: 3 / 1 shows where this machine runs out, not how workers scale.`);
  }
  const { cpu: _one, ...oneFigures } = one;
  const { cpu: _three, ...threeFigures } = three;
  const file = await saveResults('bench-cluster', quick ? '-quick' : '', {
    quick,
    cores: cpus().length,
    at: new Date().toISOString(),
    temporal: 'cluster',
    episodes,
    concurrency,
    rounds,
    scaling,
    summary: [oneFigures, threeFigures],
    phases,
  });
  console.log(`\nEvery sample: ${file}`);
}
