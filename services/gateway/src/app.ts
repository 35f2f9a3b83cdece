import { healthRoutes, httpMetrics, MetricsRegistry } from '@mctb/service-kit';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { GatewayDeps, GatewayEnv } from './context.js';
import { twilioSignature } from './middleware/twilio-signature/index.js';
import { pluginRoutes } from './routes/plugins.js';
import { smsRoutes } from './routes/sms.js';
import { voiceRoutes } from './routes/voice.js';

export interface GatewayAppOptions {
  metrics?: MetricsRegistry;
  readiness?: Record<string, () => Promise<unknown>>;
}

/** The Twilio-facing hot path: every /twilio route is signature-checked before it runs. */
export function createGatewayApp(deps: GatewayDeps, options: GatewayAppOptions = {}): Hono<GatewayEnv> {
  const metrics = options.metrics ?? new MetricsRegistry();
  const app = new Hono<GatewayEnv>();
  app.use(httpMetrics(metrics));
  app.route('/', healthRoutes({ readiness: options.readiness ?? {}, metrics }));

  const twilio = new Hono<GatewayEnv>();
  twilio.use(twilioSignature({ authToken: deps.twilio.authToken, publicUrl: deps.publicUrl, accountSid: deps.twilio.accountSid }));
  twilio.route('/voice', voiceRoutes(deps));
  twilio.route('/sms', smsRoutes(deps));
  app.route('/twilio', twilio);
  app.route('/plugins', pluginRoutes(deps));

  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: error.message }, error.status);
    console.error('[gateway] unhandled error', error);
    return c.json({ error: 'internal error; the request can be retried' }, 500);
  });
  return app;
}
