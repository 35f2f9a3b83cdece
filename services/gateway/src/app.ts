import { annotateSpan, healthRoutes, httpMetrics, lastFour, MetricsRegistry, silentLogger, type Logger } from '@mctb/service-kit';
import { countCallOutcomes } from '@mctb/telephony';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { GatewayDeps, GatewayEnv } from './context.js';
import { twilioSignature, type TwilioParams } from './middleware/twilio-signature/index.js';
import { pluginRoutes } from './routes/plugins.js';
import { fallbackMessagingTwiml, smsRoutes, textCounters } from './routes/sms.js';
import { fallbackVoiceTwiml, voiceRoutes } from './routes/voice.js';

export interface GatewayAppOptions {
  metrics?: MetricsRegistry;
  readiness?: Record<string, () => Promise<unknown>>;
  log?: Logger;
  /** A span per request (service-kit requestTracing), given only when tracing is on. */
  tracing?: MiddlewareHandler;
}

/** Twilio's webhooks are a few hundred bytes; a text of 1600 characters fits many times over. */
export const WEBHOOK_BODY_LIMIT = 64 * 1024;

/** The Twilio-facing hot path: every /twilio route is size-limited and signature-checked before it runs. */
export function createGatewayApp(deps: GatewayDeps, options: GatewayAppOptions = {}): Hono<GatewayEnv> {
  const metrics = options.metrics ?? new MetricsRegistry();
  const log = options.log ?? silentLogger;
  const app = new Hono<GatewayEnv>();
  // Outermost, so the request's span covers the rest (and log lines inside it carry its ids).
  if (options.tracing) app.use(options.tracing);
  app.use(httpMetrics(metrics));
  if (log.isLevelEnabled('debug')) app.use(requestLog(log));
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
  // The call or text a webhook is about names its span (the sub-account is added when its number is routed).
  if (options.tracing) twilio.use(annotateWebhookSpan);
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

/** A webhook field's value as sent (the first, if repeated: the route itself refuses that). */
const field = (params: TwilioParams | undefined, name: string) => {
  const value = params?.[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The CallSid (a screening webhook's parent call) or MessageSid of a signed webhook, on its span. */
async function annotateWebhookSpan(c: Context<GatewayEnv>, next: () => Promise<void>) {
  const params = c.var.twilioParams;
  annotateSpan({
    'mctb.call_sid': field(params, 'CallSid') ?? c.req.query('parent'),
    'mctb.message_sid': field(params, 'MessageSid') ?? field(params, 'SmsSid'),
  });
  await next();
}

/**
 * One debug line per request, after it was answered: route, status, time, and the webhook's call or
 * text (the trace and sub-account come from the span when tracing is on). Phone numbers never: the
 * caller as its last four digits.
 */
function requestLog(log: Logger): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const params = c.var.twilioParams as TwilioParams | undefined;
    const callSid = field(params, 'CallSid');
    const messageSid = field(params, 'MessageSid');
    const from = field(params, 'From');
    log.debug(
      {
        method: c.req.method,
        route: routePath(c),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(callSid ? { callSid } : {}),
        ...(messageSid ? { messageSid } : {}),
        ...(from ? { from: lastFour(from) } : {}),
      },
      'request',
    );
  };
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
