import { createOrm, migrate } from '@mctb/db';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { createLogger, onShutdown, requestTracing, startHttpServer, startTracing, temporalConnectionOptions } from '@mctb/service-kit';
import { CallIntake, DeliveryReports, followRoutingChanges, PluginWebhooks, Routes, TemporalTextBack, TextIntake, WebhookSigners } from '@mctb/telephony';
import { Client, Connection } from '@temporalio/client';
import { createGatewayApp } from './app.js';
import { env } from './env.js';

const log = createLogger('gateway', env.LOG_LEVEL);
// Off (nothing loaded) unless an OTLP endpoint is configured.
const tracing = await startTracing('gateway', env);
const orm = await createOrm(env.DATABASE_URL, { poolSize: 20 });
if (env.DB_MIGRATE_ON_START) await migrate(orm);
const connection = await Connection.connect(temporalConnectionOptions(env.TEMPORAL_ADDRESS, env));
// Traced: signalWithStart carries the webhook's trace into the workflow (and its activities).
const temporal = new Client({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  ...(tracing ? { interceptors: { workflow: [new (await import('@temporalio/interceptors-opentelemetry')).OpenTelemetryWorkflowClientInterceptor()] } } : {}),
});

const plugins = firstPartyPlugins();
// Twilio waits 15 s for TwiML: each dependency gets a few, then the webhook falls back.
const deadlineMs = env.WEBHOOK_DEPENDENCY_TIMEOUT_MS;
const textBack = new TemporalTextBack(temporal, { deadlineMs });
const routes = new Routes({ orm, deadlineMs });
const stopFollowingRoutes = followRoutingChanges(env.DATABASE_URL, routes, log);
const calls = new CallIntake({ orm, textBack, plugins, routes, log, deadlineMs });
if (!env.MCTB_SECRETS_KEY) log.warn("MCTB_SECRETS_KEY is not set: webhooks about agencies' own Twilio numbers are refused");
const app = createGatewayApp(
  {
    calls,
    texts: new TextIntake({ orm, textBack, routes, log, deadlineMs }),
    deliveries: new DeliveryReports({ orm }),
    pluginWebhooks: new PluginWebhooks({ orm, plugins, calls, deadlineMs }),
    publicUrl: (env.GATEWAY_PUBLIC_URL ?? `http://${env.GATEWAY_HOST}:${env.GATEWAY_PORT}`).replace(/\/$/, ''),
    signers: new WebhookSigners({
      orm,
      routes,
      platform: { authToken: env.TWILIO_AUTH_TOKEN, ...(env.TWILIO_ACCOUNT_SID ? { accountSid: env.TWILIO_ACCOUNT_SID } : {}) },
      keyring: env.MCTB_SECRETS_KEY ?? null,
      deadlineMs,
    }),
  },
  {
    log,
    ...(tracing ? { tracing: await requestTracing('gateway') } : {}),
    readiness: {
      database: () => orm.em.fork().execute('select 1'),
      temporal: () => connection.healthService.check({}),
    },
  },
);
const server = await startHttpServer(app, { port: env.GATEWAY_PORT, host: env.GATEWAY_HOST });
log.info({ url: server.url }, 'gateway listening');
onShutdown('gateway', [() => server.close(), stopFollowingRoutes, () => connection.close(), () => orm.close(), async () => tracing?.shutdown()]);
