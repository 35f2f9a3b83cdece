import { ProviderAccounts, publishFirstPartyPlugins, resealTwilioAuthTokens } from '@mctb/control';
import { createOrm, migrate } from '@mctb/db';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { createLogger, onShutdown, requestTracing, startHttpServer, startTracing, temporalConnectionOptions } from '@mctb/service-kit';
import { createControlPlaneApp } from './app.js';
import { controlPlaneEnv } from './env.js';
import { TemporalTaggedRuns } from './tagged-runs.js';
import { TemporalProvisioningStarter } from './provisioning-starter.js';
import { TemporalManualMessages } from './manual-messages.js';
import { Client, Connection } from '@temporalio/client';

const env = controlPlaneEnv();
const log = createLogger('control-plane', env.LOG_LEVEL);
// Off (nothing loaded) unless an OTLP endpoint is configured.
const tracing = await startTracing('control-plane', env);
const orm = await createOrm(env.DATABASE_URL);
// Every service may migrate on start; an advisory lock lets one do it while the others wait.
if (env.DB_MIGRATE_ON_START) await migrate(orm);
// Lazy: the API serves while Temporal is unreachable; only a tag edit that must start a run fails.
// Traced: the runs it starts (provisioning, test messages, replies, tagged automations) continue the request's trace.
const clientTracing = tracing ? { interceptors: { workflow: [new (await import('@temporalio/interceptors-opentelemetry')).OpenTelemetryWorkflowClientInterceptor()] } } : {};
const temporal = env.TEMPORAL_ADDRESS
  ? new Client({ connection: Connection.lazy(temporalConnectionOptions(env.TEMPORAL_ADDRESS, env)), namespace: env.TEMPORAL_NAMESPACE, ...clientTracing })
  : null;
if (!temporal) log.warn('TEMPORAL_ADDRESS is not set: tags given through the API start no contact.tagged automations, provisioning runs cannot start, and test messages and team replies cannot be sent');
const platformTwilio = env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN } : null;
const providerAccounts = new ProviderAccounts({
  keyring: env.MCTB_SECRETS_KEY ?? null,
  platform: platformTwilio,
  ...(env.TWILIO_API_BASE_URL ? { apiBaseUrl: env.TWILIO_API_BASE_URL } : {}),
  allowUnverifiedClaims: env.ALLOW_UNVERIFIED_NUMBERS,
});
if (env.MCTB_SECRETS_KEY) {
  // Key rotation: tokens sealed with an older listed key move to the first one.
  const { resealed } = await resealTwilioAuthTokens(orm.em.fork(), env.MCTB_SECRETS_KEY);
  if (resealed > 0) log.info({ resealed, keyId: env.MCTB_SECRETS_KEY.currentKeyId }, 'Twilio auth tokens re-sealed with the current key');
} else {
  log.warn('MCTB_SECRETS_KEY is not set: agencies cannot store their own Twilio accounts');
}
if (!platformTwilio && env.ALLOW_UNVERIFIED_NUMBERS) log.warn('ALLOW_UNVERIFIED_NUMBERS: agencies without a Twilio account claim numbers unchecked (development only)');
const plugins = firstPartyPlugins();
// The first-party plugins this release ships are listed in the marketplace with their versions.
await publishFirstPartyPlugins(orm.em.fork(), plugins);
const app = createControlPlaneApp({ orm, plugins, log, providerAccounts, allowPrivatePluginUrls: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS, ...(tracing ? { tracing: await requestTracing('control-plane') } : {}), ...(temporal ? { taggedRuns: new TemporalTaggedRuns({ client: temporal, orm }), provisioningRuns: new TemporalProvisioningStarter(temporal), manualMessages: new TemporalManualMessages(temporal) } : {}) });
const server = await startHttpServer(app, { port: env.CONTROL_PLANE_PORT, host: env.CONTROL_PLANE_HOST });
log.info({ url: `${server.url}/graphql` }, 'GraphQL listening');
// Stop taking requests first, then release the database pool the in-flight ones were using.
onShutdown('control-plane', [() => server.close(), () => orm.close(), async () => temporal?.connection.close(), async () => tracing?.shutdown()]);
