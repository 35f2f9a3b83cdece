import type { ManualMessageSender, ProviderAccounts, ProvisioningStarter, TaggedRunStarter } from '@mctb/control';
import type { Orm } from '@mctb/db';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { healthRoutes, httpMetrics, MetricsRegistry, silentLogger, type Logger } from '@mctb/service-kit';
import { serveStatic } from '@hono/node-server/serve-static';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { errorHandler } from './error-handler.js';
import { graphqlRoutes } from './routes/graphql.js';

export interface ControlPlaneDeps {
  orm: Orm;
  plugins: PluginRegistry;
  metrics?: MetricsRegistry;
  log?: Logger;
  /** Starts the automations on tags given through the API (a Temporal client); absent: none start. */
  taggedRuns?: TaggedRunStarter;
  /** Starts provisioning runs' workflows (a Temporal client); absent: startProvisioning says it needs one. */
  provisioningRuns?: ProvisioningStarter;
  /** Sends test messages and team replies (a Temporal client); absent: they answer that they need one. */
  manualMessages?: ManualMessageSender;
  /** The Twilio accounts numbers are claimed through (agencies' own, sealed; the platform's). */
  providerAccounts: ProviderAccounts;
  /** Development mode: remote plugins may be published at private or loopback addresses. */
  allowPrivatePluginUrls?: boolean;
  /**
   * The agency dashboard's built files, served at /dashboard/; default: services/dashboard/dist beside
   * this package (built by `npm run build`). Null, or a folder that doesn't exist: no dashboard.
   */
  dashboardDir?: string | null;
  /** A span per request (service-kit requestTracing), given only when tracing is on. */
  tracing?: MiddlewareHandler;
}

/** Where `npm run build` puts the dashboard (services/dashboard/dist), from services/control-plane/dist. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

/** The largest request body: a provisioning request of 10,000 targets (about 250 bytes each) fits. */
export const REQUEST_BODY_LIMIT = 4 * 1024 * 1024;

/** The control plane's HTTP surface: /graphql, /healthz, /readyz, /metrics and the dashboard at /dashboard/. */
export function createControlPlaneApp(deps: ControlPlaneDeps): Hono {
  const metrics = deps.metrics ?? new MetricsRegistry();
  const log = deps.log ?? silentLogger;
  const app = new Hono();
  if (deps.tracing) app.use('*', deps.tracing);
  app.use('*', httpMetrics(metrics));
  app.use(
    '*',
    bodyLimit({
      maxSize: REQUEST_BODY_LIMIT,
      onError: () => {
        throw new HTTPException(413, { message: `request body is larger than ${REQUEST_BODY_LIMIT} bytes` });
      },
    }),
  );
  app.route(
    '/',
    healthRoutes({
      metrics,
      readiness: { database: () => deps.orm.em.fork().execute('select 1') },
    }),
  );
  app.route('/', graphqlRoutes({ orm: deps.orm, plugins: deps.plugins, log, providerAccounts: deps.providerAccounts, allowPrivatePluginUrls: deps.allowPrivatePluginUrls ?? false, ...(deps.taggedRuns ? { taggedRuns: deps.taggedRuns } : {}), ...(deps.provisioningRuns ? { provisioningRuns: deps.provisioningRuns } : {}), ...(deps.manualMessages ? { manualMessages: deps.manualMessages } : {}) }));
  const dashboardDir = deps.dashboardDir === undefined ? DEFAULT_DASHBOARD_DIR : deps.dashboardDir;
  if (dashboardDir && existsSync(dashboardDir)) {
    // A static single-page app (hash routes): index.html and its hashed assets; / leads to it.
    app.get('/', (c) => c.redirect('/dashboard/'));
    app.get('/dashboard', (c) => c.redirect('/dashboard/'));
    app.use('/dashboard/*', async (c, next) => {
      await next();
      // Hashed assets never change; index.html must be fetched again to pick up a new build.
      if (c.res.status === 200) c.header('cache-control', c.req.path.startsWith('/dashboard/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    });
    app.use('/dashboard/*', serveStatic({ root: dashboardDir, rewriteRequestPath: (path) => path.replace(/^\/dashboard/, '') }));
  }
  app.onError(errorHandler(log));
  return app;
}
