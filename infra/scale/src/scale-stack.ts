import { setUpAccount } from '@mctb/control';
import { createOrm, migrate } from '@mctb/db';
import { freePort, repoRoot, startScratchTemporalCluster, type RunningTemporal } from '@mctb/devstack';
import { serviceEnvironments, startService, type RunningService } from '@mctb/launcher';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { createEmptyDatabase, postTwilioWebhook, startFakeTwilio, startTcpProxy, type FakeTwilio, type TcpProxy, type TestDatabase } from '@mctb/testkit';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';

export const ACCOUNT_SID = 'AC5ca1e000000000000000000000000001';
export const AUTH_TOKEN = 'scale-auth-token-00000000000000000';
export const BUSINESS_NUMBER = '+15125550100';
/** What Twilio calls: a load balancer in front of the gateways (never contacted; webhooks are signed over it). */
export const PUBLIC_URL = 'https://gateways.mctb.test';

export interface ScaleStackOptions {
  workers: number;
  gateways: number;
  /** Every worker's sweeper environment (SWEEP_* variables). */
  sweeper: Record<string, string>;
}

export interface Instance {
  /** e.g. worker-1, gateway-2 */
  readonly label: string;
  readonly service: RunningService;
  /** Stopped or killed by the test. */
  down: boolean;
}

/**
 * The platform scaled out on this machine: the real Temporal server on PostgreSQL (a cluster,
 * databases of its own on the test run's PostgreSQL), several worker and gateway processes on one
 * platform database, and a local server answering like Twilio. The last gateway reaches Temporal
 * through a proxy a test can cut.
 */
export interface ScaleStack {
  readonly temporal: RunningTemporal;
  readonly twilio: FakeTwilio;
  readonly workers: Instance[];
  readonly gateways: Instance[];
  /** Between the last gateway and Temporal. */
  readonly lastGatewayTemporalLink: TcpProxy;
  /**
   * Posts a signed webhook to the `preferred` gateway as a load balancer would: a gateway that is
   * down or answers 5xx is skipped for the next one that is up. Returns the status and who answered.
   */
  webhook(preferred: number, path: string, params: Record<string, string>, idempotencyToken?: string): Promise<{ status: number; gateway: number }>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Prometheus text of a worker's /metrics. */
  metrics(worker: Instance): Promise<string>;
  pids(): number[];
  stop(): Promise<void>;
}

export async function startScaleStack(options: ScaleStackOptions, log: (line: string) => void = () => undefined): Promise<ScaleStack> {
  const adminUrl = inject('postgresAdminUrl');
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };

  const workers: Instance[] = [];
  const gateways: Instance[] = [];
  try {
    // Databases of its own on the test run's PostgreSQL, dropped when it stops.
    const temporal = await startScratchTemporalCluster({ postgresUrl: adminUrl, tag: 'scale', onLine: (line) => log(`[temporal] ${line}`), log });
    cleanups.push(() => temporal.stop());

    const database: TestDatabase = await createEmptyDatabase('scale');
    cleanups.push(() => database.drop());
    const orm = await createOrm(database.url);
    try {
      await migrate(orm);
      // The starter snapshot with no delay, so each missed call is texted at once.
      await setUpAccount(orm.em.fork(), firstPartyPlugins(), {
        agencyName: 'Scale Agency',
        subAccount: { name: 'Greenfield Plumbing', timeZone: 'America/Chicago', twilioNumber: BUSINESS_NUMBER, forwardingNumber: '+15125550199', smsProvider: 'twilio' },
        snapshotYaml: (await readFile(join(repoRoot, 'snapshots/missed-call-text-back.yaml'), 'utf8')).replace('delay: 60s', 'delay: 0s'),
        customValues: { booking_link: 'https://book.example/greenfield' },
      });
    } finally {
      await orm.close();
    }

    const twilio = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    cleanups.push(() => twilio.stop());
    const lastGatewayTemporalLink = await startTcpProxy({ host: '127.0.0.1', port: Number(temporal.address.split(':')[1]) });
    cleanups.push(() => lastGatewayTemporalLink.stop());

    const start = async (name: 'worker' | 'gateway', index: number): Promise<Instance> => {
      const label = `${name}-${index + 1}`;
      const port = await freePort();
      const envs = serviceEnvironments({
        databaseUrl: database.url,
        temporalAddress: temporal.address,
        ports: { 'control-plane': 0, gateway: port, worker: port },
        gatewayPublicUrl: PUBLIC_URL,
        twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: twilio.url },
        extra: {
          gateway: {
            LOG_LEVEL: 'warn',
            WEBHOOK_DEPENDENCY_TIMEOUT_MS: '2000',
            ...(index === options.gateways - 1 ? { TEMPORAL_ADDRESS: `127.0.0.1:${lastGatewayTemporalLink.port}` } : {}),
          },
          worker: { LOG_LEVEL: 'warn', DB_MIGRATE_ON_START: 'false', ...options.sweeper },
        },
      });
      const service = await startService(name, { port, env: envs[name], onLine: (line) => log(`[${label}] ${line}`) });
      return { label, service, down: false };
    };
    const started = await Promise.allSettled([
      ...Array.from({ length: options.workers }, (_, i) => start('worker', i)),
      ...Array.from({ length: options.gateways }, (_, i) => start('gateway', i)),
    ]);
    for (const result of started) {
      if (result.status === 'fulfilled') {
        (result.value.label.startsWith('worker') ? workers : gateways).push(result.value);
        cleanups.push(() => result.value.service.process.stop());
      }
    }
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    workers.sort((a, b) => a.label.localeCompare(b.label));
    gateways.sort((a, b) => a.label.localeCompare(b.label));

    const post = (gateway: Instance, path: string, params: Record<string, string>, idempotencyToken?: string) =>
      postTwilioWebhook(`${gateway.service.url}${path}`, { AccountSid: ACCOUNT_SID, ...params }, {
        authToken: AUTH_TOKEN,
        signatureUrl: `${PUBLIC_URL}${path}`,
        ...(idempotencyToken ? { idempotencyToken } : {}),
      });

    return {
      temporal,
      twilio,
      workers,
      gateways,
      lastGatewayTemporalLink,
      async webhook(preferred, path, params, idempotencyToken) {
        let status = 0;
        for (let attempt = 0; attempt < gateways.length; attempt++) {
          const index = (preferred + attempt) % gateways.length;
          const gateway = gateways[index]!;
          if (gateway.down) continue;
          try {
            const response = await post(gateway, path, params, idempotencyToken);
            await response.text();
            status = response.status;
            if (status < 500) return { status, gateway: index };
          } catch {
            // Refused or reset: the balancer tries the next gateway.
          }
        }
        return { status, gateway: -1 };
      },
      async query<T>(sql: string, params: unknown[] = []) {
        const client = await createOrm(database.url, { poolSize: 1 });
        try {
          return (await client.em.fork().execute(sql, params)) as T[];
        } finally {
          await client.close();
        }
      },
      metrics: async (worker) => (await fetch(`${worker.service.url}/metrics`)).text(),
      pids: () => [...workers, ...gateways].map((instance) => instance.service.process.pid).concat(temporal.process.pid),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
