import { Hono } from 'hono';
import type { MetricsRegistry } from './metrics.js';

export interface HealthOptions {
  /** Readiness checks by name; each throws when its dependency is unusable. */
  readiness: Record<string, () => Promise<unknown>>;
  metrics: MetricsRegistry;
}

/** /healthz (the process is up), /readyz (its dependencies answer) and /metrics (Prometheus). */
export function healthRoutes(options: HealthOptions): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const results = await Promise.all(
      Object.entries(options.readiness).map(async ([name, check]) => {
        try {
          await check();
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, error instanceof Error ? error.message : String(error)] as const;
        }
      }),
    );
    const failing = results.filter(([, status]) => status !== 'ok');
    return c.json({ status: failing.length === 0 ? 'ready' : 'not_ready', checks: Object.fromEntries(results) }, failing.length === 0 ? 200 : 503);
  });
  app.get('/metrics', (c) => c.text(options.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }));
  return app;
}
