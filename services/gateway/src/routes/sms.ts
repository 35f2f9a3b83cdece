import type { Counter, MetricsRegistry } from '@mctb/service-kit';
import { messagingResponse } from '@mctb/twilio-kit';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { GatewayDeps, GatewayEnv } from '../context.js';
import { callerId, FIELD_LIMITS, messageBody, requireFields, sid, single, token } from '../webhook-fields.js';

export interface TextCounters {
  inbound: Counter;
  optOuts: Counter;
  deliveryReports: Counter;
}

/** Prometheus counters of the messaging webhooks: texts in and opt-outs once each, delivery reports as they come. */
export function textCounters(registry: MetricsRegistry): TextCounters {
  return {
    inbound: registry.counter('mctb_inbound_texts_total', 'Texts received from contacts (replies and keywords), once each however often the webhook repeats'),
    optOuts: registry.counter('mctb_opt_outs_total', 'Contacts who opted out by text'),
    deliveryReports: registry.counter('mctb_delivery_reports_total', "Providers' delivery reports about our texts, by the status reported (a repeated report counts again)"),
  };
}

/** Twilio messaging webhooks: inbound texts and delivery reports of ours. */
export function smsRoutes(deps: GatewayDeps, counters?: TextCounters): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();

  app.post('/incoming', async (c) => {
    const p = requireFields(c.var.twilioParams, 'MessageSid', 'From', 'To');
    const decision = await deps.texts.inbound({
      messageSid: sid('MessageSid', p.MessageSid),
      from: callerId(c.var.twilioParams),
      to: token('To', p.To, FIELD_LIMITS.address),
      body: messageBody(c.var.twilioParams),
    });
    if (decision.kind === 'unknown_number') throw new HTTPException(404, { message: `no sub-account owns the number ${decision.number}` });
    if (decision.kind === 'stored' && decision.first) counters?.inbound.inc();
    if (decision.kind === 'stored' && decision.optedOut) counters?.optOuts.inc();
    const response = messagingResponse();
    if (decision.kind === 'stored' && decision.reply) response.message(decision.reply);
    return c.body(response.toString(), 200, { 'content-type': 'text/xml' });
  });

  app.post('/status', async (c) => {
    const p = requireFields(c.var.twilioParams, 'MessageSid', 'MessageStatus');
    const code = single(c.var.twilioParams, 'ErrorCode');
    const intent = c.req.query('intent');
    const result = await deps.deliveries.apply({
      messageSid: sid('MessageSid', p.MessageSid),
      messageStatus: token('MessageStatus', p.MessageStatus, FIELD_LIMITS.status),
      errorCode: code && /^\d{1,9}$/.test(code) ? Number(code) : null,
      intentId: intent === undefined ? null : token('intent', intent, FIELD_LIMITS.intent),
    });
    if (result.kind === 'unknown_message') throw new HTTPException(404, { message: `no message ${p.MessageSid} is ours` });
    if (result.kind === 'applied') counters?.deliveryReports.inc({ status: result.status });
    return c.body(null, 204);
  });

  return app;
}

/** What Twilio gets when something unexpected broke on a messaging webhook: valid, empty TwiML. */
export function fallbackMessagingTwiml(): string {
  return messagingResponse().toString();
}
