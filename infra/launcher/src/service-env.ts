import type { ServiceName } from './services.js';

export interface ServiceEnvOptions {
  databaseUrl: string;
  temporalAddress: string;
  ports: Record<ServiceName, number>;
  /** The URL Twilio uses to reach the gateway. */
  gatewayPublicUrl: string;
  twilio: { accountSid: string; authToken: string; apiBaseUrl?: string };
  /** MCTB_SECRETS_KEY for every service: seals and opens agencies' Twilio tokens (none: they can't be stored). */
  secretsKey?: string;
  /** Extra variables per service (e.g. the sweeper's thresholds in tests). */
  extra?: Partial<Record<ServiceName, Record<string, string>>>;
}

/** The environment each service process is started with: everything it reads in its env.ts. */
export function serviceEnvironments(options: ServiceEnvOptions): Record<ServiceName, Record<string, string>> {
  const twilio = { TWILIO_ACCOUNT_SID: options.twilio.accountSid, TWILIO_AUTH_TOKEN: options.twilio.authToken };
  const apiBase: Record<string, string> = options.twilio.apiBaseUrl ? { TWILIO_API_BASE_URL: options.twilio.apiBaseUrl } : {};
  const secrets: Record<string, string> = options.secretsKey ? { MCTB_SECRETS_KEY: options.secretsKey } : {};
  return {
    'control-plane': {
      DATABASE_URL: options.databaseUrl,
      CONTROL_PLANE_PORT: String(options.ports['control-plane']),
      TEMPORAL_ADDRESS: options.temporalAddress,
      ...secrets,
      // With a Twilio to ask (the stand-in), numbers are checked there; without one (the demo's
      // made-up account), claims are taken unchecked, which only development allows.
      ...(options.twilio.apiBaseUrl ? { ...twilio, ...apiBase } : ({ ALLOW_UNVERIFIED_NUMBERS: 'true' } as Record<string, string>)),
      ...options.extra?.['control-plane'],
    },
    gateway: {
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      GATEWAY_PORT: String(options.ports.gateway),
      GATEWAY_PUBLIC_URL: options.gatewayPublicUrl,
      ...twilio,
      ...secrets,
      ...options.extra?.gateway,
    },
    worker: {
      // One malloc arena: the Temporal core's threads otherwise each grow their own, and the
      // worker held 545 MB instead of 479 MB with 10,000 runs waiting (the bench's memory case).
      MALLOC_ARENA_MAX: '1',
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      WORKER_PORT: String(options.ports.worker),
      GATEWAY_PUBLIC_URL: options.gatewayPublicUrl,
      ...twilio,
      ...apiBase,
      ...secrets,
      // Provisioning claims and configures numbers like the control plane: at the stand-in when
      // there is one, else (the demo's made-up account) unchecked and left as they are.
      ...(options.twilio.apiBaseUrl ? {} : ({ MANAGE_PROVIDER_NUMBERS: 'false', ALLOW_UNVERIFIED_NUMBERS: 'true' } as Record<string, string>)),
      ...options.extra?.worker,
    },
  };
}
