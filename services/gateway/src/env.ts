import { LOG_LEVELS, loadEnv, secretsKeyVariable, temporalConnectionVariables, tracingVariables } from '@mctb/service-kit';
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z.string().min(1, 'is required (postgres://...)'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** TLS, mTLS or an API key for the Temporal connection (Temporal Cloud); see @mctb/service-kit. */
  ...temporalConnectionVariables,
  /** OpenTelemetry traces (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set); see @mctb/service-kit tracing. */
  ...tracingVariables,
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4001),
  /** The URL Twilio uses to reach this gateway; signatures are computed over it. */
  GATEWAY_PUBLIC_URL: z.url().optional(),
  /** Auth token of the platform's own Twilio account; signs webhooks about its numbers (and agencies' without one). */
  TWILIO_AUTH_TOKEN: z.string().min(1, 'is required to check X-Twilio-Signature'),
  /** The platform account's SID; when set, webhooks naming an account no agency stored are refused. */
  TWILIO_ACCOUNT_SID: z.string().optional(),
  /** Opens agencies' stored Twilio tokens, whose webhooks are checked with them (id:base64key[,…]). */
  MCTB_SECRETS_KEY: secretsKeyVariable(),
  DB_MIGRATE_ON_START: z.stringbool().default(true),
  /** Longest a webhook waits for PostgreSQL or Temporal before it falls back (Twilio gives up at 15 s). */
  WEBHOOK_DEPENDENCY_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).default(4_000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

export type GatewayEnv = z.infer<typeof schema>;

export const env: GatewayEnv = loadEnv(schema, process.env);
