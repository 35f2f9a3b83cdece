import type { Orm } from '@mctb/db';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { healthRoutes, httpMetrics, MetricsRegistry } from '@mctb/service-kit';
import { Hono } from 'hono';
import { errorHandler } from './error-handler.js';
import { graphqlRoutes } from './routes/graphql.js';

export interface ControlPlaneDeps {
  orm: Orm;
  plugins: PluginRegistry;
  metrics?: MetricsRegistry;
}

/** The control plane's HTTP surface: /graphql, /healthz, /readyz and /metrics. */
export function createControlPlaneApp(deps: ControlPlaneDeps): Hono {
  const metrics = deps.metrics ?? new MetricsRegistry();
  const app = new Hono();
  app.use('*', httpMetrics(metrics));
  app.route(
    '/',
    healthRoutes({
      metrics,
      readiness: { database: () => deps.orm.em.fork().execute('select 1') },
    }),
  );
  app.route('/', graphqlRoutes({ orm: deps.orm, plugins: deps.plugins }));
  app.onError(errorHandler);
  return app;
}
