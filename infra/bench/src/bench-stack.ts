import { createAgency, issueApiKey, setUpAccount } from '@mctb/control';
import { createOrm } from '@mctb/db';
import {
  ensureTemporalCli,
  freePort,
  repoRoot,
  startEmbeddedPostgres,
  startProcess,
  startScratchTemporalCluster,
  startTemporalDevServer,
  waitFor,
  type ManagedProcess,
  type RunningPostgres,
  type RunningTemporal,
} from '@mctb/devstack';
import { serviceEnvironments, startService, type RunningService } from '@mctb/launcher';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { installBenchPlugin } from './bench-plugin.js';
import { startFakeTwilio, type FakeTwilio } from '@mctb/testkit';
import { encodeTwilioForm, signTwilioRequest } from '@mctb/twilio-kit';
import { Client, Connection } from '@temporalio/client';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ACCOUNT_SID = 'AC0bec400000000000000000000000000b';
const AUTH_TOKEN = 'bench-auth-token-0000000000000000';
/** Texted at once (delay 0): the episode the benchmark times. */
export const HOT_NUMBER = '+15125550100';
/** Waits an hour before texting: runs that sit in the worker (memory). */
export const WAITING_NUMBER = '+15125550101';
/** Texted at once, after asking a remote plugin (textback.beforeSend) on this machine. */
export const PLUGIN_NUMBER = '+15125550102';

/** A distinct, valid caller for every call of a run. */
export function caller(i: number): string {
  return `+1737${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`;
}

export interface BenchStack {
  gatewayUrl: string;
  controlPlaneUrl: string;
  /** An agency key of its own (no sub-accounts yet), for provisioning through GraphQL. */
  agencyApiKey: string;
  temporal: Client;
  temporalAddress: string;
  databaseUrl: string;
  twilio: FakeTwilio;
  /** The first worker process. */
  worker: RunningService;
  /** Every worker process, the first included. */
  workers: RunningService[];
  /** Starts one more worker process like the first (same environment, no migrations) and waits until it is ready. */
  addWorker(): Promise<RunningService>;
  /** Stops the last worker process added (never the first) and waits until it has exited. */
  removeWorker(): Promise<void>;
  /** performance.now() when Twilio accepted the text for each caller (first text only counts). */
  sentAt: Map<string, number>;
  /** Texts Twilio accepted per caller (to count duplicates). */
  textsTo: Map<string, number>;
  /** A signed webhook as Twilio posts it; returns the status. */
  webhook(path: string, params: Record<string, string>): Promise<number>;
  /** The body and headers of a signed webhook, for load generators that replay one request. */
  signedRequest(path: string, params: Record<string, string>): { url: string; body: string; headers: Record<string, string> };
  bareWorker: ManagedProcess;
  /** Every bare-workflow worker process, the first included. */
  bareWorkers: ManagedProcess[];
  addBareWorker(): Promise<ManagedProcess>;
  removeBareWorker(): Promise<void>;
  bareHttpUrl: string;
  /** The stack's processes by role, for CPU figures (each with its descendants: PostgreSQL's backends are the postmaster's children). */
  processes(): { role: 'postgres' | 'temporal' | 'gateway' | 'worker' | 'bare-worker' | 'control-plane' | 'other'; pid: number }[];
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /**
   * `dev-server` (default): `temporal server start-dev` on a SQLite file, as `npm start` runs it.
   * `cluster`: the real Temporal server with its state in the bench's PostgreSQL, as `npm start -- --cluster`.
   */
  temporal?: 'dev-server' | 'cluster';
}

/** The platform as `npm start` runs it (PostgreSQL, Temporal on a file or the cluster, gateway, worker), plus the baselines. */
export async function startBenchStack(log: (line: string) => void, options: BenchStackOptions = {}): Promise<BenchStack> {
  const root = await mkdtemp(join(tmpdir(), 'mctb-bench-'));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(root, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const postgres: RunningPostgres = await startEmbeddedPostgres({ dataDir: join(root, 'pg'), port: await freePort(), persistent: true });
    // As root, PostgreSQL's data may live outside `root` (see startEmbeddedPostgres): remove it too.
    cleanups.push(() => postgres.stop().then(() => rm(postgres.dataDir, { recursive: true, force: true })));
    const temporalServer: RunningTemporal =
      options.temporal === 'cluster'
        ? await startScratchTemporalCluster({ postgresUrl: postgres.adminUrl, tag: 'bench', onLine: (line) => log(`[temporal] ${line}`), log })
        : await startTemporalDevServer({ cli: await ensureTemporalCli(log), port: await freePort(), dbFile: join(root, 'temporal.sqlite') });
    cleanups.push(() => temporalServer.stop());

    const sentAt = new Map<string, number>();
    const textsTo = new Map<string, number>();
    const twilio = await startFakeTwilio({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      onCreate: (message) => {
        if (!sentAt.has(message.to)) sentAt.set(message.to, performance.now());
        textsTo.set(message.to, (textsTo.get(message.to) ?? 0) + 1);
      },
    });
    cleanups.push(() => twilio.stop());

    const ports = { 'control-plane': await freePort(), gateway: await freePort(), worker: await freePort() };
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    // MCTB_BENCH_PROFILE=gateway,worker writes V8 CPU profiles of those services to bench-results/profiles.
    const profiled = new Set((process.env.MCTB_BENCH_PROFILE ?? '').split(',').filter(Boolean));
    const nodeArgs = (name: string) => (profiled.has(name) ? ['--cpu-prof', `--cpu-prof-dir=${join(repoRoot, 'bench-results/profiles', name)}`] : []);
    const envs = serviceEnvironments({
      databaseUrl: postgres.adminUrl,
      temporalAddress: temporalServer.address,
      ports,
      gatewayPublicUrl: gatewayUrl,
      twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: twilio.url },
      // The bench's remote plugin runs on this machine.
      // OTEL_* variables given to the bench reach the gateway and worker: the same run with tracing on.
      extra: { gateway: { LOG_LEVEL: 'warn', ...otelVariables() }, worker: { LOG_LEVEL: 'warn', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', ...otelVariables() } },
    });
    const gateway = await startService('gateway', { port: ports.gateway, env: envs.gateway, nodeArgs: nodeArgs('gateway'), onLine: (line) => log(`[gateway] ${line}`) });
    cleanups.push(() => gateway.process.stop());
    const worker = await startService('worker', { port: ports.worker, env: envs.worker, nodeArgs: nodeArgs('worker'), onLine: (line) => log(`[worker] ${line}`) });
    cleanups.push(() => worker.process.stop());
    const workers = [worker];
    const addWorker = async () => {
      const label = `worker-${workers.length + 1}`;
      const port = await freePort();
      const added = await startService('worker', {
        port,
        // The first worker migrated the database; the others start on it as production's would.
        env: { ...envs.worker, WORKER_PORT: String(port), DB_MIGRATE_ON_START: 'false' },
        onLine: (line) => log(`[${label}] ${line}`),
      });
      cleanups.push(() => added.process.stop());
      workers.push(added);
      return added;
    };
    const removeWorker = async () => {
      if (workers.length > 1) await workers.pop()!.process.stop();
    };
    const controlPlane = await startService('control-plane', { port: ports['control-plane'], env: { ...envs['control-plane'], LOG_LEVEL: 'warn' }, onLine: (line) => log(`[control-plane] ${line}`) });
    cleanups.push(() => controlPlane.process.stop());
    let agencyApiKey = '';

    const orm = await createOrm(postgres.adminUrl);
    try {
      // The starter text-back, as a v2 file without the daily cap (a bench texts thousands a day)
      // and without quiet hours (the built-in text-back ignores them anyway).
      const starter = (await readFile(join(repoRoot, 'snapshots/missed-call-text-back.yaml'), 'utf8'))
        .replace('apiVersion: mctb.dev/v1', 'apiVersion: mctb.dev/v2')
        .replace('\ntextBack:', '\nexclusions:\n  dailyCap: off\nquietHours: "off"\ntextBack:');
      for (const [number, delay, agency] of [[HOT_NUMBER, '0s', 'Bench hot'], [WAITING_NUMBER, '1h', 'Bench waiting'], [PLUGIN_NUMBER, '0s', 'Bench plugin']] as const) {
        const account = await setUpAccount(orm.em.fork(), firstPartyPlugins(), {
          agencyName: agency,
          subAccount: { name: agency, timeZone: 'America/Chicago', twilioNumber: number, forwardingNumber: '+15125550199', smsProvider: 'twilio' },
          snapshotYaml: starter.replace('delay: 60s', `delay: ${delay}`),
          customValues: { booking_link: 'https://book.example/bench' },
        });
        if (number === PLUGIN_NUMBER) {
          const plugin = await installBenchPlugin(orm.em.fork(), firstPartyPlugins(), account, await freePort());
          cleanups.push(() => plugin.close());
        }
      }
      const agency = await createAgency(orm.em.fork(), 'Bench provisioning');
      agencyApiKey = (await issueApiKey(orm.em.fork(), { agencyId: agency.id, name: 'bench' })).token;
    } finally {
      await orm.close();
    }

    const connection = await Connection.connect({ address: temporalServer.address });
    cleanups.push(() => connection.close());

    const dist = new URL('.', import.meta.url);
    const bareWorkers: ManagedProcess[] = [];
    const addBareWorker = async () => {
      const added = await startReady('bare-worker', [new URL('baseline/bare-worker.js', dist).pathname], { BENCH_TEMPORAL_ADDRESS: temporalServer.address }, log);
      cleanups.push(() => added.stop());
      bareWorkers.push(added);
      return added;
    };
    const removeBareWorker = async () => {
      if (bareWorkers.length > 1) await bareWorkers.pop()!.stop();
    };
    const bareWorker = await addBareWorker();
    const httpPort = await freePort();
    const bareHttp = await startReady('bare-http', [new URL('baseline/bare-http.js', dist).pathname], { BENCH_HTTP_PORT: String(httpPort), BENCH_DATABASE_URL: postgres.adminUrl }, log);
    cleanups.push(() => bareHttp.stop());

    const signedRequest = (path: string, params: Record<string, string>) => {
      const url = `${gatewayUrl}${path}`;
      const form = { AccountSid: ACCOUNT_SID, ...params };
      return {
        url,
        body: encodeTwilioForm(form),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(AUTH_TOKEN, url, form) },
      };
    };
    return {
      gatewayUrl,
      controlPlaneUrl: `http://127.0.0.1:${ports['control-plane']}`,
      agencyApiKey,
      temporal: new Client({ connection }),
      temporalAddress: temporalServer.address,
      databaseUrl: postgres.adminUrl,
      twilio,
      worker,
      workers,
      addWorker,
      removeWorker,
      sentAt,
      textsTo,
      signedRequest,
      async webhook(path, params) {
        const request = signedRequest(path, params);
        const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
        await response.arrayBuffer();
        return response.status;
      },
      bareWorker,
      bareWorkers,
      addBareWorker,
      removeBareWorker,
      bareHttpUrl: `http://127.0.0.1:${httpPort}`,
      processes: () => [
        { role: 'postgres' as const, pid: postgres.pid },
        { role: 'temporal' as const, pid: temporalServer.process.pid },
        { role: 'gateway' as const, pid: gateway.process.pid },
        ...workers.map((w) => ({ role: 'worker' as const, pid: w.process.pid })),
        ...bareWorkers.map((w) => ({ role: 'bare-worker' as const, pid: w.pid })),
        { role: 'control-plane' as const, pid: controlPlane.process.pid },
        { role: 'other' as const, pid: bareHttp.pid },
      ],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startReady(name: string, args: string[], env: Record<string, string>, log: (line: string) => void): Promise<ManagedProcess> {
  let ready = false;
  const child = startProcess(name, process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    onLine: (line) => {
      if (line.includes('ready')) ready = true;
      log(`[${name}] ${line}`);
    },
  });
  await Promise.race([
    waitFor(`${name} to be ready`, async () => ready, { timeoutMs: 120_000, intervalMs: 100 }),
    child.exited.then((code) => {
      throw new Error(`${name} exited (code ${code}):\n${child.recentOutput()}`);
    }),
  ]);
  return child;
}

/** The OpenTelemetry variables of the bench's own environment (none: the services run untraced). */
function otelVariables(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith('OTEL_') && entry[1] !== undefined));
}
