import { LOG_LEVELS, loadEnv, secretsKeyVariable, temporalConnectionVariables, tracingVariables } from '@mctb/service-kit';
import { z } from 'zod';

/** "true"/"false" (any case, also 1/0, yes/no); zod's coerce would read "false" as true. */
const flag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      if (['true', '1', 'yes'].includes(value)) return true;
      if (['false', '0', 'no'].includes(value)) return false;
      ctx.addIssue({ code: 'custom', message: `expected true or false, got "${value}"` });
      return z.NEVER;
    });

const schema = z.object({
  DATABASE_URL: z.string({ error: 'is required (a postgres:// URL)' }).min(1, 'is required (a postgres:// URL)'),
  CONTROL_PLANE_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  CONTROL_PLANE_HOST: z.string().min(1).default('127.0.0.1'),
  DB_MIGRATE_ON_START: flag(true),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Where tags given through the API start their automations; unset: they start none (and the log says so). */
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** TLS, mTLS or an API key for the Temporal connection (Temporal Cloud); see @mctb/service-kit. */
  ...temporalConnectionVariables,
  /** OpenTelemetry traces (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set); see @mctb/service-kit tracing. */
  ...tracingVariables,
  /** The platform's own Twilio account: agencies without their own claim and configure numbers through it. */
  TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  /** Where Twilio API requests go instead of Twilio's cloud (the local stand-in in development). */
  TWILIO_API_BASE_URL: z.url().optional(),
  /** Seals agencies' Twilio auth tokens: id:base64key[,id:base64key...], the first seals, all open. */
  MCTB_SECRETS_KEY: secretsKeyVariable(),
  /** Development only: with no Twilio account to ask, numbers are claimed without a check at the provider. */
  ALLOW_UNVERIFIED_NUMBERS: flag(false),
  /** Development only: agencies may publish remote plugins on this machine or a private network (no SSRF guard). */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: flag(false),
}).refine((e) => (e.TWILIO_ACCOUNT_SID === undefined) === (e.TWILIO_AUTH_TOKEN === undefined), {
  message: 'set both TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or neither',
  path: ['TWILIO_AUTH_TOKEN'],
});

export type ControlPlaneEnv = z.infer<typeof schema>;

/** The only place this service reads process.env; a bad variable stops the process at start. */
export function controlPlaneEnv(source: Record<string, string | undefined> = process.env): ControlPlaneEnv {
  return loadEnv(schema, source);
}
