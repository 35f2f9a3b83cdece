import { createActivities, createSmtpMailer } from '@mctb/activities';
import { configureProviderNumber, ProviderAccounts } from '@mctb/control';
import { createOrm, MetricsRollup, migrate } from '@mctb/db';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { createLogger, healthRoutes, MetricsRegistry, onShutdown, startHttpServer, startTracing, temporalConnectionOptions } from '@mctb/service-kit';
import { CallSettlement, countCallOutcomes, TemporalTextBack } from '@mctb/telephony';
import { PROVISIONING_TASK_QUEUE, TEXT_BACK_TASK_QUEUE } from '@mctb/workflows';
import { Client, Connection } from '@temporalio/client';
import { makeTelemetryFilterString, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Hono } from 'hono';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { env } from './env.js';
import { providerCallLookup, smsProviders, statusCallbackUrl } from './providers.js';
import { CountingSmsSender } from './send-metrics.js';
import { startMetricsRollup } from './metrics-rollup.js';
import { startSweeper } from './sweeper.js';
import { temporalLogger } from './temporal-log.js';
import { TRACED_WORKFLOW_BUNDLE_PATH, WORKFLOW_BUNDLE_PATH } from './bundle-location.js';
import { correlationActivityInterceptor, CountingCallSweeper, countTextBackOutcomes, instrumentProviders, workerTracer } from './telemetry.js';

const log = createLogger('worker', env.LOG_LEVEL);
// The SDK's core logs are forwarded too, so everything the worker prints is redacted JSON.
Runtime.install({
  logger: temporalLogger(log),
  telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) } },
});
// Off (nothing loaded, the plain workflow bundle) unless an OTLP endpoint is configured.
const tracing = await startTracing('worker', env);
const bundlePath = tracing ? TRACED_WORKFLOW_BUNDLE_PATH : WORKFLOW_BUNDLE_PATH;
if (!existsSync(bundlePath)) throw new Error(`${bundlePath} is missing: run \`pnpm build\` first`);
// Temporal's OpenTelemetry interceptors: activities continue their workflow's trace, workflow spans
// (made in the sandbox) are exported through a sink, and the client carries traces into the runs it starts.
const otel = tracing ? await import('@temporalio/interceptors-opentelemetry') : null;
const activityInterceptors = otel
  ? [(ctx: ConstructorParameters<typeof otel.OpenTelemetryActivityInboundInterceptor>[0]) => ({ inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx), outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx) }), correlationActivityInterceptor]
  : [];
const tracingOptions = otel && tracing ? { interceptors: { activity: activityInterceptors }, sinks: { exporter: otel.makeWorkflowExporter(tracing.spanProcessor, tracing.resource) } } : {};

const orm = await createOrm(env.DATABASE_URL, { poolSize: 20 });
if (env.DB_MIGRATE_ON_START) await migrate(orm);
const plugins = firstPartyPlugins();
const metrics = new MetricsRegistry();
const sender = new CountingSmsSender(
  {
    em: () => orm.em.fork(),
    providers: instrumentProviders(smsProviders(orm, env), { metrics, log, ...(tracing ? { tracer: workerTracer() } : {}) }),
    statusCallbackUrl: statusCallbackUrl(env.GATEWAY_PUBLIC_URL),
  },
  metrics,
);

const mailer = env.SMTP_URL ? createSmtpMailer({ url: env.SMTP_URL, from: env.SMTP_FROM }) : null;
if (!mailer) log.warn('SMTP_URL is not set: notify steps that e-mail will fail');

// Provisioning claims new sub-accounts' numbers and points them at the gateway, through the same
// Twilio accounts the control plane uses (an agency's own, else the platform's).
const providerAccounts = new ProviderAccounts({
  keyring: env.MCTB_SECRETS_KEY ?? null,
  platform: env.MANAGE_PROVIDER_NUMBERS && env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN } : null,
  ...(env.TWILIO_API_BASE_URL ? { apiBaseUrl: env.TWILIO_API_BASE_URL } : {}),
  allowUnverifiedClaims: env.ALLOW_UNVERIFIED_NUMBERS,
});
const gatewayUrl = env.MANAGE_PROVIDER_NUMBERS ? env.GATEWAY_PUBLIC_URL : undefined;
if (!gatewayUrl) log.warn("provisioning leaves numbers' webhook URLs at the provider as they are (MANAGE_PROVIDER_NUMBERS off or no GATEWAY_PUBLIC_URL)");
const provisioning = {
  claims: providerAccounts,
  configureNumber: gatewayUrl ? (em: Parameters<typeof configureProviderNumber>[0]['em'], e164: string) => configureProviderNumber({ em, accounts: providerAccounts }, { e164, gatewayPublicUrl: gatewayUrl }) : null,
};

const temporalOptions = temporalConnectionOptions(env.TEMPORAL_ADDRESS, env);
const connection = await NativeConnection.connect(temporalOptions);
const clientConnection = await Connection.connect(temporalOptions);
const client = new Client({
  connection: clientConnection,
  namespace: env.TEMPORAL_NAMESPACE,
  ...(otel ? { interceptors: { workflow: [new otel.OpenTelemetryWorkflowClientInterceptor()] } } : {}),
});
const activities = createActivities({
  orm,
  sender,
  plugins,
  temporal: client,
  mailer,
  allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
  provisioning,
  onTextBackStatus: countTextBackOutcomes(metrics),
});
const worker = await Worker.create({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: TEXT_BACK_TASK_QUEUE,
  workflowBundle: { codePath: bundlePath },
  activities,
  maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
  ...tracingOptions,
});
// Provisioning's activities poll their own queue, a few targets at a time, so a push to hundreds
// of sub-accounts never holds up a missed call's text. Activities only: no second workflow sandbox.
const provisioningWorker = await Worker.create({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: PROVISIONING_TASK_QUEUE,
  activities,
  maxConcurrentActivityTaskExecutions: 8,
  ...(otel ? { interceptors: { activity: activityInterceptors } } : {}),
});
const running = Promise.all([worker.run(), provisioningWorker.run()]);

const textBack = new TemporalTextBack(client, { deadlineMs: 10_000 });
const settlement = new CallSettlement({ orm, textBack, log, deadlineMs: 10_000, now: () => new Date() });
// The sweeper acts as intake for calls whose webhooks never came: their outcomes are counted here.
countCallOutcomes(metrics, settlement);
// Counts what it re-drove (mctb_sweeper_redrives_total).
const sweeper = new CountingCallSweeper(
  {
    orm,
    settlement,
    textBack,
    providerCalls: providerCallLookup(env),
    log,
    name: `${hostname()}/${process.pid}`,
    thresholds: {
      unsignalledAfterSeconds: env.SWEEP_UNSIGNALLED_AFTER_SECONDS,
      unsettledAfterSeconds: env.SWEEP_UNSETTLED_AFTER_SECONDS,
      noOutcomeAfterSeconds: env.SWEEP_NO_OUTCOME_AFTER_SECONDS,
    },
  },
  metrics,
);
const stopSweeper = startSweeper(sweeper, env.SWEEP_INTERVAL_SECONDS, log, metrics);
const stopMetricsRollup = startMetricsRollup(new MetricsRollup(orm.em.fork()), env.METRICS_ROLLUP_INTERVAL_SECONDS, log);

const app = new Hono().route(
  '/',
  healthRoutes({
    metrics,
    readiness: {
      database: () => orm.em.fork().execute('select 1'),
      worker: async () => {
        if (worker.getState() !== 'RUNNING') throw new Error(`worker is ${worker.getState()}`);
        if (provisioningWorker.getState() !== 'RUNNING') throw new Error(`provisioning worker is ${provisioningWorker.getState()}`);
      },
    },
  }),
);
const server = await startHttpServer(app, { port: env.WORKER_PORT, host: env.WORKER_HOST });
log.info({ taskQueue: TEXT_BACK_TASK_QUEUE, temporal: env.TEMPORAL_ADDRESS, health: server.url }, 'worker polling');

onShutdown('worker', [
  () => server.close(),
  stopSweeper,
  stopMetricsRollup,
  async () => {
    // The SDK already starts shutting down on SIGINT/SIGTERM by itself.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    if (provisioningWorker.getState() === 'RUNNING') provisioningWorker.shutdown();
    await running;
  },
  async () => mailer?.close(),
  () => clientConnection.close(),
  () => connection.close(),
  () => orm.close(),
  async () => tracing?.shutdown(),
]);
// A worker that stops on its own (fatal error) takes the process down so a supervisor restarts it.
running.catch((error: unknown) => {
  log.fatal({ err: error }, 'worker stopped with an error');
  process.exit(1);
});
