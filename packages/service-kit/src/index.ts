export { loadEnv } from './env.js';
export { Counter, Histogram, MetricsRegistry, httpMetrics } from './metrics.js';
export { healthRoutes, type HealthOptions } from './health.js';
export { onShutdown, startHttpServer, type RunningServer } from './serve.js';
