import { LOG_LEVELS, loadEnv, secretsKeyVariable, temporalConnectionVariables, tracingVariables } from '@mctb/service-kit';
import { z } from 'zod';

const schema = z
  .object({
    DATABASE_URL: z.string().min(1, 'is required (postgres://...)'),
    TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    /** TLS, mTLS or an API key for the Temporal connection (Temporal Cloud); see @mctb/service-kit. */
    ...temporalConnectionVariables,
    /** OpenTelemetry traces (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set); see @mctb/service-kit tracing. */
    ...tracingVariables,
    /** Health and metrics endpoint of the worker. */
    WORKER_HOST: z.string().default('127.0.0.1'),
    WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(4002),
    /** The gateway's public URL; delivery reports of our texts are sent there. */
    GATEWAY_PUBLIC_URL: z.url().optional(),
    /** Twilio credentials for sub-accounts that send through Twilio. */
    TWILIO_ACCOUNT_SID: z.string().optional(),
    TWILIO_AUTH_TOKEN: z.string().optional(),
    /** Stand-in for https://api.twilio.com (a local server in tests). */
    TWILIO_API_BASE_URL: z.url().optional(),
    /** Opens agencies' sealed Twilio auth tokens (provisioning claims and configures their numbers); as on the control plane. */
    MCTB_SECRETS_KEY: secretsKeyVariable(),
    /** Development only: with no Twilio account to ask, provisioning claims new numbers unchecked. */
    ALLOW_UNVERIFIED_NUMBERS: z.stringbool().default(false),
    /**
     * Provisioning claims and configures numbers at Twilio through the platform's account (and
     * agencies' own). Off only for a demo whose Twilio account is made up (nothing to ask): numbers
     * are then left as they are.
     */
    MANAGE_PROVIDER_NUMBERS: z.stringbool().default(true),
    /** How often the sweeper looks for calls a crash or an outage left behind. */
    SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(30),
    /** How often the metrics are rolled up by day (an agency's figures are at most this far behind; a sub-account's today is always live). */
    METRICS_ROLLUP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(60),
    /** An outcome whose signal was not delivered this long ago is re-signalled. */
    SWEEP_UNSIGNALLED_AFTER_SECONDS: z.coerce.number().int().min(1).default(30),
    /** A text-back still unsettled this long after its signal is handed to its workflow again. */
    SWEEP_UNSETTLED_AFTER_SECONDS: z.coerce.number().int().min(1).default(120),
    /** A call without an outcome this long past the longest ring is settled from Twilio. */
    SWEEP_NO_OUTCOME_AFTER_SECONDS: z.coerce.number().int().min(1).default(120),
    DB_MIGRATE_ON_START: z.stringbool().default(true),
    /**
     * Where `notify` e-mails are sent: smtp://user:pass@host:587 (STARTTLS when the server offers
     * it) or smtps://host:465. Unset: e-mail notifications fail, saying so. `npm start` points it at
     * a local server that keeps the messages (.mctb/mail).
     */
    SMTP_URL: z
      .url()
      .refine((url) => /^smtps?:$/.test(new URL(url).protocol), 'must be an smtp:// or smtps:// URL')
      .optional(),
    /** The sender address of those e-mails (the business's name is shown as the sender). */
    SMTP_FROM: z.email().default('notifications@mctb.localhost'),
    /**
     * Let webhook steps reach private, loopback and link-local addresses (10.x, 127.x, 169.254.x,
     * ::1, …). Off by default: a URL in a snapshot must not reach the platform's own network.
     */
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.stringbool().default(false),
    /**
     * Workflow runs kept in memory between their steps (about 1.5 MB each). A run not kept is
     * replayed from its history at its next step (cheap for text-backs), so this bounds the worker's
     * memory however many text-backs wait: 100 keeps 10,000 waiting runs near 350 MB. Raise it on
     * larger machines for fewer replays (1,000 is about 1.7 GB).
     */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(100),
    LOG_LEVEL: z.preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), z.enum(LOG_LEVELS)).default('info'),
  })
  .refine((e) => (e.TWILIO_ACCOUNT_SID === undefined) === (e.TWILIO_AUTH_TOKEN === undefined), {
    message: 'set both TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or neither',
    path: ['TWILIO_AUTH_TOKEN'],
  });

export type WorkerEnv = z.infer<typeof schema>;

export const env: WorkerEnv = loadEnv(schema, process.env);
