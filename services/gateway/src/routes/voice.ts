import { isDialCallStatus } from '@mctb/domain';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { GatewayDeps, GatewayEnv } from '../context.js';
import { requireParams } from '../params.js';
import { renderVoice } from '../twiml.js';
import type { VoiceDecision } from '@mctb/telephony';

/** Twilio voice webhooks: the incoming call, the forwarding result, the voicemail, the final status. */
export function voiceRoutes(deps: GatewayDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const urls = {
    dialResult: `${deps.publicUrl}/twilio/voice/dial-result`,
    recording: `${deps.publicUrl}/twilio/voice/recording`,
  };
  const twiml = (c: Context<GatewayEnv>, decision: VoiceDecision) => {
    if (decision.kind === 'unknown_number') {
      throw new HTTPException(404, { message: `no sub-account owns the number ${decision.number}` });
    }
    return c.body(renderVoice(decision, urls), 200, { 'content-type': 'text/xml' });
  };

  app.post('/incoming', async (c) => {
    const p = requireParams(c.var.twilioParams, 'CallSid', 'To');
    return twiml(c, await deps.calls.incoming({ callSid: p.CallSid, from: c.var.twilioParams.From ?? '', to: p.To }));
  });

  app.post('/dial-result', async (c) => {
    const p = requireParams(c.var.twilioParams, 'CallSid', 'To', 'DialCallStatus');
    if (!isDialCallStatus(p.DialCallStatus)) {
      throw new HTTPException(400, { message: `unknown DialCallStatus "${p.DialCallStatus}"` });
    }
    const decision = await deps.calls.dialResult({
      callSid: p.CallSid,
      from: c.var.twilioParams.From ?? '',
      to: p.To,
      dialCallStatus: p.DialCallStatus,
    });
    return twiml(c, decision);
  });

  app.post('/recording', async (c) => {
    const p = requireParams(c.var.twilioParams, 'CallSid', 'To', 'RecordingUrl');
    const seconds = Number(c.var.twilioParams.RecordingDuration ?? '0');
    await deps.calls.recording({
      callSid: p.CallSid,
      from: c.var.twilioParams.From ?? '',
      to: p.To,
      recordingUrl: p.RecordingUrl,
      recordingSeconds: Number.isFinite(seconds) ? seconds : 0,
    });
    return twiml(c, { kind: 'hangup' });
  });

  app.post('/status', async (c) => {
    const p = requireParams(c.var.twilioParams, 'CallSid', 'To', 'CallStatus');
    await deps.calls.callEnded({ callSid: p.CallSid, from: c.var.twilioParams.From ?? '', to: p.To, callStatus: p.CallStatus });
    return c.body(null, 204);
  });

  return app;
}
