import { messagingResponse } from '@mctb/twilio-kit';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { GatewayDeps, GatewayEnv } from '../context.js';
import { requireParams } from '../params.js';

/** Twilio messaging webhooks: inbound texts and delivery reports of ours. */
export function smsRoutes(deps: GatewayDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();

  app.post('/incoming', async (c) => {
    const p = requireParams(c.var.twilioParams, 'MessageSid', 'From', 'To');
    const decision = await deps.texts.inbound({ messageSid: p.MessageSid, from: p.From, to: p.To, body: c.var.twilioParams.Body ?? '' });
    if (decision.kind === 'unknown_number') throw new HTTPException(404, { message: `no sub-account owns the number ${decision.number}` });
    if (decision.kind === 'invalid_sender') throw new HTTPException(400, { message: decision.reason });
    const response = messagingResponse();
    if (decision.reply) response.message(decision.reply);
    return c.body(response.toString(), 200, { 'content-type': 'text/xml' });
  });

  app.post('/status', async (c) => {
    const p = requireParams(c.var.twilioParams, 'MessageSid', 'MessageStatus');
    const code = c.var.twilioParams.ErrorCode;
    const result = await deps.deliveries.apply({
      messageSid: p.MessageSid,
      messageStatus: p.MessageStatus,
      errorCode: code && /^\d+$/.test(code) ? Number(code) : null,
      intentId: c.req.query('intent') ?? null,
    });
    if (result.kind === 'unknown_message') throw new HTTPException(404, { message: `no message ${p.MessageSid} is ours` });
    return c.body(null, 204);
  });

  return app;
}
