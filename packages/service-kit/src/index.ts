export { loadEnv } from './env.js';
export { Counter, Histogram, MetricsRegistry, httpMetrics } from './metrics.js';
export { healthRoutes, type HealthOptions } from './health.js';
export { onShutdown, startHttpServer, type RunningServer } from './serve.js';
export { createLogger, silentLogger, LOG_LEVELS, type Logger, type LogLevel } from './log.js';
export { describeError, lastFour, redactPhones } from './redact.js';
export { secretsKeyVariable } from './secrets-key.js';
export { temporalConnectionOptions, temporalConnectionVariables, type TemporalConnectionEnv, type TemporalConnectionOptions, type TemporalTls } from './temporal-connection.js';
export {
  annotateSpan,
  CALL_SID_ATTRIBUTE,
  CorrelationSpanProcessor,
  logCorrelation,
  MESSAGE_SID_ATTRIBUTE,
  redactAttributes,
  requestTracing,
  startTracing,
  SUB_ACCOUNT_ID_ATTRIBUTE,
  tracingEnabled,
  tracingVariables,
  type Tracing,
  type TracingEnv,
} from './tracing.js';
