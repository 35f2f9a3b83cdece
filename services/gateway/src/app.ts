import { healthRoutes, httpMetrics, MetricsRegistry, silentLogger, type Logger } from '@mctb/service-kit';
import { countCallOutcomes } from '@mctb/telephony';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { GatewayDeps, GatewayEnv } from './context.js';
import { twilioSignature } from './middleware/twilio-signature/index.js';
import { pluginRoutes } from './routes/plugins.js';
import { fallbackMessagingTwiml, smsRoutes, textCounters } from './routes/sms.js';
import { fallbackVoiceTwiml, voiceRoutes } from './routes/voice.js';

export interface GatewayAppOptions {
  metrics?: MetricsRegistry;
  readiness?: Record<string, () => Promise<unknown>>;
  log?: Logger;
}

/** Twilio's webhooks are a few hundred bytes; a text of 1600 characters fits many times over. */
export const WEBHOOK_BODY_LIMIT = 64 * 1024;

/** The Twilio-facing hot path: every /twilio route is size-limited and signature-checked before it runs. */
export function createGatewayApp(deps: GatewayDeps, options: GatewayAppOptions = {}): Hono<GatewayEnv> {
  const metrics = options.metrics ?? new MetricsRegistry();
  const log = options.log ?? silentLogger;
  const app = new Hono<GatewayEnv>();
  app.use(httpMetrics(metrics));
  app.route('/', healthRoutes({ readiness: options.readiness ?? {}, metrics }));
  // What happens here, counted where it happens: calls by outcome, texts in, delivery reports.
  countCallOutcomes(metrics, deps.calls.settlement);
  const texts = textCounters(metrics);

  const limit = bodyLimit({
    maxSize: WEBHOOK_BODY_LIMIT,
    onError: (c) => c.json({ error: `request body is larger than ${WEBHOOK_BODY_LIMIT} bytes` }, 413),
  });
  const twilio = new Hono<GatewayEnv>();
  // The signature check reads the body itself, within the limit (Hono's bodyLimit re-wraps every
  // request in a stream, a third of a webhook's cost on the hot path).
  twilio.use(twilioSignature({ signers: deps.signers, publicUrl: deps.publicUrl, maxBodyBytes: WEBHOOK_BODY_LIMIT }));
  // A signed webhook always gets valid TwiML: an unexpected failure still takes a message from the caller.
  twilio.use('/voice/*', answerWithTwiml(log, () => fallbackVoiceTwiml(deps.publicUrl)));
  twilio.use('/sms/*', answerWithTwiml(log, fallbackMessagingTwiml));
  twilio.route('/voice', voiceRoutes(deps));
  twilio.route('/sms', smsRoutes(deps, texts));
  app.route('/twilio', twilio);
  app.use('/plugins/*', limit);
  app.route('/plugins', pluginRoutes(deps));

  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: error.message }, error.status);
    log.error({ err: error, path: new URL(c.req.url).pathname }, 'unhandled error in a gateway request');
    return c.json({ error: 'internal error; the request can be retried' }, 500);
  });
  return app;
}

/** After the route ran: an unexpected error becomes TwiML (200); a 4xx naming a field stays as it is. */
function answerWithTwiml(log: Logger, fallback: () => string) {
  return async (c: Context<GatewayEnv>, next: () => Promise<void>) => {
    await next();
    if (c.error && !(c.error instanceof HTTPException)) {
      log.error({ err: c.error, path: new URL(c.req.url).pathname }, 'webhook failed unexpectedly; answered with fallback TwiML');
      c.res = new Response(fallback(), { status: 200, headers: { 'content-type': 'text/xml' } });
    }
  };
}
