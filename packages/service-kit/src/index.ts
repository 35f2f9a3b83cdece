export { loadEnv } from './env.js';
export { Counter, Histogram, MetricsRegistry, httpMetrics } from './metrics.js';
export { healthRoutes, type HealthOptions } from './health.js';
export { onShutdown, startHttpServer, type RunningServer } from './serve.js';
export { createLogger, silentLogger, LOG_LEVELS, type Logger, type LogLevel } from './log.js';
export { describeError, lastFour, redactPhones } from './redact.js';
export { secretsKeyVariable } from './secrets-key.js';
export { temporalConnectionOptions, temporalConnectionVariables, type TemporalConnectionEnv, type TemporalConnectionOptions, type TemporalTls } from './temporal-connection.js';
