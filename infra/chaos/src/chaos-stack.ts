import { setUpAccount } from '@mctb/control';
import { createOrm } from '@mctb/db';
import {
  ensureTemporalCli,
  freePort,
  repoRoot,
  startEmbeddedPostgres,
  startTemporalDevServer,
  type RunningPostgres,
  type RunningTemporal,
} from '@mctb/devstack';
import { serviceEnvironments, startService, type RunningService, type ServiceName } from '@mctb/launcher';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { graphqlClient, postTwilioWebhook, startFakeTwilio, startTcpProxy, type FakeTwilio, type TcpProxy } from '@mctb/testkit';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ACCOUNT_SID = 'AC0c4a050000000000000000000000000a';
export const AUTH_TOKEN = 'chaos-auth-token-0000000000000000';
export const BUSINESS_NUMBER = '+15125550100';

/**
 * The real stack with every part its own process, each of which a test may kill and start again:
 * PostgreSQL and the Temporal dev server keep their state on disk (so a restart loses nothing),
 * the gateway reaches Temporal through a proxy a test can make hang, and the worker's Twilio
 * provider points at a local server that answers like Twilio (and can fail on demand).
 */
export interface ChaosStack {
  twilio: FakeTwilio;
  /** Runs a GraphQL operation on the control plane with the agency's API key; throws on errors. */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Between the gateway and Temporal. */
  gatewayTemporalLink: TcpProxy;
  gatewayUrl: string;
  /** Rings the business and reports the forward unanswered, as Twilio would; returns the statuses. */
  missedCall(callSid: string, caller: string): Promise<number[]>;
  /** Texts Twilio accepted for this caller. */
  textsTo(caller: string): number;
  service(name: ServiceName): RunningService;
  startServiceAgain(name: ServiceName): Promise<void>;
  restartPostgres(whileDown?: () => Promise<void>): Promise<void>;
  restartTemporal(whileDown?: () => Promise<void>): Promise<void>;
  /** Runs SQL against the platform's database (for watching what a service stored). */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  pids(): number[];
  stop(): Promise<void>;
}

export async function startChaosStack(log: (line: string) => void = () => undefined): Promise<ChaosStack> {
  const root = await mkdtemp(join(tmpdir(), 'mctb-chaos-'));
  const pgPort = await freePort();
  const temporalPort = await freePort();
  const ports = { 'control-plane': await freePort(), gateway: await freePort(), worker: await freePort() };
  let postgres: RunningPostgres = await startEmbeddedPostgres({ dataDir: join(root, 'pg'), port: pgPort, persistent: true });
  const cli = await ensureTemporalCli(log);
  const temporalDb = join(root, 'temporal.sqlite');
  let temporal: RunningTemporal = await startTemporalDevServer({ cli, port: temporalPort, dbFile: temporalDb });
  const twilio = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const gatewayTemporalLink = await startTcpProxy({ host: '127.0.0.1', port: temporalPort });
  const services = new Map<ServiceName, RunningService>();

  const databaseUrl = postgres.adminUrl;
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  const envs = serviceEnvironments({
    databaseUrl,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    ports,
    gatewayPublicUrl: gatewayUrl,
    twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: twilio.url },
    extra: {
      gateway: { TEMPORAL_ADDRESS: `127.0.0.1:${gatewayTemporalLink.port}`, WEBHOOK_DEPENDENCY_TIMEOUT_MS: '3000', LOG_LEVEL: 'warn' },
      worker: { SWEEP_INTERVAL_SECONDS: '1', SWEEP_UNSIGNALLED_AFTER_SECONDS: '2', SWEEP_UNSETTLED_AFTER_SECONDS: '20', LOG_LEVEL: 'warn' },
    },
  });
  const start = async (name: ServiceName) => {
    services.set(name, await startService(name, { port: ports[name], env: envs[name], onLine: (line) => log(`[${name}] ${line}`) }));
  };

  const stop = async () => {
    for (const service of services.values()) await service.process.stop();
    await gatewayTemporalLink.stop();
    await twilio.stop();
    await temporal.stop();
    await postgres.stop();
    // As root, PostgreSQL's data may live outside `root` (see startEmbeddedPostgres).
    await rm(postgres.dataDir, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  };

  let apiKey = '';
  try {
    await start('control-plane');
    await start('gateway');
    await start('worker');
    // The starter snapshot with no delay, so every missed call is texted at once.
    const orm = await createOrm(databaseUrl);
    try {
      ({ apiKey } = await setUpAccount(orm.em.fork(), firstPartyPlugins(), {
        agencyName: 'Chaos Agency',
        subAccount: { name: 'Greenfield Plumbing', timeZone: 'America/Chicago', twilioNumber: BUSINESS_NUMBER, forwardingNumber: '+15125550199', smsProvider: 'twilio' },
        snapshotYaml: (await readFile(join(repoRoot, 'snapshots/missed-call-text-back.yaml'), 'utf8')).replace('delay: 60s', 'delay: 0s'),
        customValues: { booking_link: 'https://book.example/greenfield' },
      }));
    } finally {
      await orm.close();
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const webhook = async (path: string, params: Record<string, string>) => {
    try {
      const response = await postTwilioWebhook(`${gatewayUrl}${path}`, { AccountSid: ACCOUNT_SID, ...params }, { authToken: AUTH_TOKEN });
      await response.text();
      return response.status;
    } catch {
      return 0; // the gateway is down: Twilio would get no answer
    }
  };

  const controlPlaneUrl = `http://127.0.0.1:${ports['control-plane']}`;
  return {
    twilio,
    graphql: graphqlClient(controlPlaneUrl, apiKey),
    gatewayTemporalLink,
    gatewayUrl,
    async missedCall(callSid, caller) {
      const rang = await webhook('/twilio/voice/incoming', { CallSid: callSid, From: caller, To: BUSINESS_NUMBER, CallStatus: 'ringing' });
      const ended = await webhook('/twilio/voice/dial-result?accept=0&amd=1&min=0', {
        CallSid: callSid, From: caller, To: BUSINESS_NUMBER, CallStatus: 'in-progress', DialCallStatus: 'no-answer',
      });
      return [rang, ended];
    },
    textsTo: (caller) => twilio.messages().filter((message) => message.to === caller).length,
    service(name) {
      const service = services.get(name);
      if (!service) throw new Error(`${name} is not running`);
      return service;
    },
    startServiceAgain: start,
    async restartPostgres(whileDown) {
      await postgres.stop();
      await whileDown?.();
      postgres = await startEmbeddedPostgres({ dataDir: postgres.dataDir, port: pgPort, persistent: true });
    },
    async restartTemporal(whileDown) {
      await temporal.stop();
      await whileDown?.();
      temporal = await startTemporalDevServer({ cli, port: temporalPort, dbFile: temporalDb });
    },
    async query<T>(sql: string, params: unknown[] = []) {
      const orm = await createOrm(databaseUrl, { poolSize: 1 });
      try {
        return (await orm.em.fork().execute(sql, params)) as T[];
      } finally {
        await orm.close();
      }
    },
    pids: () => [...[...services.values()].map((s) => s.process.pid), temporal.process.pid],
    stop,
  };
}
