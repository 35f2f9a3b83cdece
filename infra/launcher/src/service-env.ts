import type { ServiceName } from './services.js';

export interface ServiceEnvOptions {
  databaseUrl: string;
  temporalAddress: string;
  ports: Record<ServiceName, number>;
  /** The URL Twilio uses to reach the gateway. */
  gatewayPublicUrl: string;
  twilio: { accountSid: string; authToken: string; apiBaseUrl?: string };
  /** Extra variables per service (e.g. the sweeper's thresholds in tests). */
  extra?: Partial<Record<ServiceName, Record<string, string>>>;
}

/** The environment each service process is started with: everything it reads in its env.ts. */
export function serviceEnvironments(options: ServiceEnvOptions): Record<ServiceName, Record<string, string>> {
  const twilio = { TWILIO_ACCOUNT_SID: options.twilio.accountSid, TWILIO_AUTH_TOKEN: options.twilio.authToken };
  return {
    'control-plane': {
      DATABASE_URL: options.databaseUrl,
      CONTROL_PLANE_PORT: String(options.ports['control-plane']),
      TEMPORAL_ADDRESS: options.temporalAddress,
      ...options.extra?.['control-plane'],
    },
    gateway: {
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      GATEWAY_PORT: String(options.ports.gateway),
      GATEWAY_PUBLIC_URL: options.gatewayPublicUrl,
      ...twilio,
      ...options.extra?.gateway,
    },
    worker: {
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      WORKER_PORT: String(options.ports.worker),
      GATEWAY_PUBLIC_URL: options.gatewayPublicUrl,
      ...twilio,
      ...(options.twilio.apiBaseUrl ? { TWILIO_API_BASE_URL: options.twilio.apiBaseUrl } : {}),
      ...options.extra?.worker,
    },
  };
}
