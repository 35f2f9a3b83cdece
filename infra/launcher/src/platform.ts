import {
  ensureTemporalCli,
  ensureTemporalServerBinaries,
  freePort,
  startEmbeddedPostgres,
  startSmtpCapture,
  startTemporalCluster,
  startTemporalDevServer,
  type RunningPostgres,
  type RunningTemporal,
  type SmtpCapture,
} from '@mctb/devstack';
import { SecretKeyring } from '@mctb/secrets';
import { serviceEnvironments } from './service-env.js';
import { startService, type RunningService, type ServiceName } from './services.js';

export interface PlatformOptions {
  /** An existing PostgreSQL database; otherwise an embedded server is started. */
  databaseUrl?: string;
  embeddedPostgres?: { dataDir: string; port: number; persistent: boolean };
  /** An existing Temporal frontend; otherwise `temporal server start-dev` is started (or the cluster). */
  temporalAddress?: string;
  temporalDevServer?: { port: number; uiPort?: number; dbFile?: string };
  /**
   * Instead of the dev server, the real Temporal server with its state in the platform's
   * PostgreSQL (databases temporal and temporal_visibility); its config is written to configDir.
   */
  temporalCluster?: { port: number; configDir: string; numHistoryShards?: number };
  ports?: { controlPlane?: number; gateway?: number; worker?: number };
  /** The URL Twilio uses to reach the gateway; defaults to its local URL. */
  gatewayPublicUrl?: string;
  twilio: { accountSid: string; authToken: string; apiBaseUrl?: string };
  /** MCTB_SECRETS_KEY (id:base64key) for the services; a fresh one for this run when not given. */
  secretsKey?: string;
  /** An SMTP server for the worker's e-mails; otherwise a local capture server is started. */
  smtpUrl?: string;
  /** The capture server's port (default: a free one) and where it writes each message. */
  mailCapture?: { port?: number; saveTo?: string };
  sweepIntervalSeconds?: number;
  /** More variables for a service, e.g. OTEL_EXPORTER_OTLP_ENDPOINT to trace it. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Every line the processes print, prefixed by the caller as it likes. */
  onLine?: (source: string, line: string) => void;
  log?: (message: string) => void;
}

export interface RunningPlatform {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl: string | null;
  controlPlaneUrl: string;
  gatewayUrl: string;
  gatewayPublicUrl: string;
  workerUrl: string;
  smtpUrl: string;
  /** The local SMTP server the worker's e-mails go to; null when `smtpUrl` was given. */
  mail: SmtpCapture | null;
  /** Every process the platform started, for checks that nothing is left behind. */
  pids(): number[];
  /** Settles when the first service process exits on its own (a crash), naming it. */
  firstExit: Promise<{ name: string; code: number | null }>;
  stop(): Promise<void>;
}

/**
 * The whole platform as production runs it, one process per concern: PostgreSQL, Temporal,
 * control plane, gateway and worker, plus a local SMTP server that keeps the e-mails. Anything
 * given (database, Temporal, SMTP) is used instead of started.
 */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const log = options.log ?? (() => undefined);
  let postgres: RunningPostgres | undefined;
  let temporal: RunningTemporal | undefined;
  let mail: SmtpCapture | undefined;
  const services: RunningService[] = [];
  const stop = async () => {
    for (const service of services.reverse()) await service.process.stop();
    await mail?.stop();
    await temporal?.stop();
    await postgres?.stop();
  };

  try {
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      const embedded = options.embeddedPostgres;
      if (!embedded) throw new Error('give databaseUrl or embeddedPostgres');
      log(`› starting PostgreSQL on 127.0.0.1:${embedded.port}`);
      postgres = await startEmbeddedPostgres(embedded);
      log(`  data in ${postgres.dataDir}`);
      databaseUrl = postgres.adminUrl;
    }

    let temporalAddress = options.temporalAddress;
    if (!temporalAddress && options.temporalCluster) {
      const cluster = options.temporalCluster;
      const [binaries, cli] = await Promise.all([ensureTemporalServerBinaries(log), ensureTemporalCli(log)]);
      log(`› starting the Temporal server ${binaries.version} on PostgreSQL, frontend on 127.0.0.1:${cluster.port}`);
      temporal = await startTemporalCluster({
        binaries,
        cli,
        postgresUrl: databaseUrl,
        ...cluster,
        log,
        onLine: (line) => options.onLine?.('temporal', line),
      });
      temporalAddress = temporal.address;
    }
    if (!temporalAddress) {
      const dev = options.temporalDevServer ?? { port: await freePort() };
      const cli = await ensureTemporalCli(log);
      log(`› starting the Temporal dev server on 127.0.0.1:${dev.port}`);
      temporal = await startTemporalDevServer({ cli, ...dev });
      temporalAddress = temporal.address;
    }

    let smtpUrl = options.smtpUrl;
    if (!smtpUrl) {
      mail = await startSmtpCapture({ port: options.mailCapture?.port, saveTo: options.mailCapture?.saveTo, log: (line) => options.onLine?.('mail', line) });
      log(`› capturing e-mail on ${mail.url}${options.mailCapture?.saveTo ? ` (kept in ${options.mailCapture.saveTo})` : ''}`);
      smtpUrl = mail.url;
    }

    const ports = {
      controlPlane: options.ports?.controlPlane ?? (await freePort()),
      gateway: options.ports?.gateway ?? (await freePort()),
      worker: options.ports?.worker ?? (await freePort()),
    };
    const gatewayPublicUrl = (options.gatewayPublicUrl ?? `http://127.0.0.1:${ports.gateway}`).replace(/\/$/, '');
    const envs = serviceEnvironments({
      databaseUrl,
      temporalAddress,
      ports: { 'control-plane': ports.controlPlane, gateway: ports.gateway, worker: ports.worker },
      gatewayPublicUrl,
      twilio: options.twilio,
      secretsKey: options.secretsKey ?? SecretKeyring.generateEntry('run'),
      extra: {
        // This machine is the developer's: remote plugins may be published at addresses on it.
        'control-plane': { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', ...options.serviceEnv?.['control-plane'] },
        gateway: { ...options.serviceEnv?.gateway },
        worker: {
          SWEEP_INTERVAL_SECONDS: String(options.sweepIntervalSeconds ?? 30),
          SMTP_URL: smtpUrl,
          // This machine is the developer's: webhooks may go to a receiver running on it.
          WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
          ...options.serviceEnv?.worker,
        },
      },
    });
    const onLine = (source: string) => (line: string) => options.onLine?.(source, line);

    // The control plane migrates first; the others then find the schema current (they'd wait on the lock anyway).
    log('› starting the control plane, gateway and worker');
    services.push(
      await startService('control-plane', { port: ports.controlPlane, env: envs['control-plane'], onLine: onLine('control-plane') }),
    );
    const started = await Promise.allSettled([
      startService('gateway', { port: ports.gateway, env: envs.gateway, onLine: onLine('gateway') }),
      startService('worker', { port: ports.worker, env: envs.worker, onLine: onLine('worker') }),
    ]);
    // Keep whichever started, so a failure of the other still stops it.
    for (const result of started) if (result.status === 'fulfilled') services.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;

    return {
      databaseUrl,
      temporalAddress,
      temporalUiUrl: temporal?.uiUrl ?? null,
      controlPlaneUrl: `http://127.0.0.1:${ports.controlPlane}`,
      gatewayUrl: `http://127.0.0.1:${ports.gateway}`,
      gatewayPublicUrl,
      workerUrl: `http://127.0.0.1:${ports.worker}`,
      smtpUrl,
      mail: mail ?? null,
      firstExit: Promise.race(services.map((s) => s.process.exited.then((code) => ({ name: s.name, code })))),
      pids: () => [...services.map((s) => s.process.pid), ...(temporal ? [temporal.process.pid] : [])],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
