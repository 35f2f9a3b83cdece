import { describe, expect, it } from 'vitest';
import { controlPlaneEnv } from './env.js';

describe('controlPlaneEnv', () => {
  it('needs only DATABASE_URL and defaults the rest', () => {
    expect(controlPlaneEnv({ DATABASE_URL: 'postgres://localhost/mctb' })).toEqual({
      DATABASE_URL: 'postgres://localhost/mctb',
      CONTROL_PLANE_PORT: 4000,
      CONTROL_PLANE_HOST: '127.0.0.1',
      DB_MIGRATE_ON_START: true,
      LOG_LEVEL: 'info',
      TEMPORAL_NAMESPACE: 'default',
      ALLOW_UNVERIFIED_NUMBERS: false,
      // Production: remote plugins must be on the public internet.
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: false,
      // Tracing stays off until an OTLP endpoint is given.
      OTEL_SDK_DISABLED: false,
      OTEL_TRACES_EXPORTER: 'otlp',
    });
  });

  it('reads "false" as false (not as a non-empty, truthy string)', () => {
    expect(controlPlaneEnv({ DATABASE_URL: 'postgres://x', DB_MIGRATE_ON_START: 'false', CONTROL_PLANE_PORT: '8080' })).toMatchObject({
      DB_MIGRATE_ON_START: false,
      CONTROL_PLANE_PORT: 8080,
    });
  });

  it('names every bad variable at once', () => {
    expect(() => controlPlaneEnv({ DB_MIGRATE_ON_START: 'maybe' })).toThrow(/DATABASE_URL: is required[\s\S]*DB_MIGRATE_ON_START: expected true or false/);
  });
});
