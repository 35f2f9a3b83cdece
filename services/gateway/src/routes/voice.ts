import { CALL_OUTCOMES, isAnsweredBy, isDialCallStatus, isMachine, type CallOutcome } from '@mctb/domain';
import type { VoiceDecision } from '@mctb/telephony';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { GatewayDeps, GatewayEnv } from '../context.js';
import { renderConnect, renderHangup, renderScreenPrompt, renderVoice, renderVoiceCached, screeningFromQuery, voiceUrls } from '../twiml.js';
import { callerId, FIELD_LIMITS, providerUrl, requireFields, seconds, sid, single, token } from '../webhook-fields.js';

const xml = (c: Context<GatewayEnv>, body: string) => c.body(body, 200, { 'content-type': 'text/xml' });

/**
 * Twilio voice webhooks: the incoming call, the forwarding result, the screening of the forwarded
 * leg, the voicemail, the final status. Each answers TwiML, whatever PostgreSQL or Temporal do.
 */
export function voiceRoutes(deps: GatewayDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const urls = voiceUrls(deps.publicUrl);
  const twiml = (c: Context<GatewayEnv>, decision: VoiceDecision, callSid: string) => {
    if (decision.kind === 'unknown_number') {
      throw new HTTPException(404, { message: `no sub-account owns the number ${decision.number}` });
    }
    return xml(c, decision.kind === 'forward' ? renderVoice(decision, urls, callSid) : renderVoiceCached(decision, urls));
  };
  /** The call every voice webhook is about: its id, our number, the caller. */
  const callFields = (c: Context<GatewayEnv>) => {
    const p = requireFields(c.var.twilioParams, 'CallSid', 'To');
    return { callSid: sid('CallSid', p.CallSid), to: token('To', p.To, FIELD_LIMITS.address), from: callerId(c.var.twilioParams) };
  };

  app.post('/incoming', async (c) => {
    const call = callFields(c);
    return twiml(c, await deps.calls.incoming(call), call.callSid);
  });

  app.post('/dial-result', async (c) => {
    const call = callFields(c);
    const { DialCallStatus: status } = requireFields(c.var.twilioParams, 'DialCallStatus');
    if (!isDialCallStatus(status)) throw new HTTPException(400, { message: `unknown DialCallStatus ${JSON.stringify(status.slice(0, 32))}` });
    const decision = await deps.calls.dialResult({
      ...call,
      dialCallStatus: status,
      connectedSeconds: seconds(c.var.twilioParams, 'DialCallDuration'),
      screening: screeningFromQuery((name) => c.req.query(name)),
    });
    return twiml(c, decision, call.callSid);
  });

  // The forwarded leg was picked up: the whisper. A machine is hung up on (the caller goes to our
  // voicemail and gets the text); a person is asked to press 1 when screening is on.
  app.post('/screen', async (c) => {
    const parent = sid('parent', c.req.query('parent') ?? '');
    const answeredBy = single(c.var.twilioParams, 'AnsweredBy');
    if (answeredBy !== undefined && isAnsweredBy(answeredBy)) {
      await deps.calls.machineVerdict(parent, answeredBy);
      if (isMachine(answeredBy)) return xml(c, renderHangup());
    }
    const screening = screeningFromQuery((name) => c.req.query(name));
    return xml(c, screening.pressOneToAccept ? renderScreenPrompt(urls, parent) : renderConnect());
  });

  app.post('/screen-result', async (c) => {
    const parent = sid('parent', c.req.query('parent') ?? '');
    if ((single(c.var.twilioParams, 'Digits') ?? '').trim() !== '1') return xml(c, renderHangup());
    await deps.calls.screenAccepted(parent);
    return xml(c, renderConnect());
  });

  // Asynchronous answering-machine verdict on the forwarded leg.
  app.post('/machine-verdict', async (c) => {
    const parent = sid('parent', c.req.query('parent') ?? '');
    const answeredBy = single(c.var.twilioParams, 'AnsweredBy');
    if (answeredBy !== undefined && isAnsweredBy(answeredBy)) await deps.calls.machineVerdict(parent, answeredBy);
    return c.body(null, 204);
  });

  app.post('/recording', async (c) => {
    const call = callFields(c);
    const missed = c.req.query('missed');
    await deps.calls.recording({
      ...call,
      recordingUrl: providerUrl(c.var.twilioParams, 'RecordingUrl'),
      recordingSeconds: seconds(c.var.twilioParams, 'RecordingDuration') ?? 0,
      missed: missed !== undefined && (CALL_OUTCOMES as readonly string[]).includes(missed) ? (missed as CallOutcome) : null,
    });
    return xml(c, renderHangup());
  });

  app.post('/status', async (c) => {
    const call = callFields(c);
    const { CallStatus: status } = requireFields(c.var.twilioParams, 'CallStatus');
    await deps.calls.callEnded({ ...call, callStatus: token('CallStatus', status, FIELD_LIMITS.status) });
    return c.body(null, 204);
  });

  return app;
}

/** What a caller hears when something unexpected broke: a voicemail, never an application error. */
export function fallbackVoiceTwiml(publicUrl: string): string {
  return renderVoice({ kind: 'voicemail', businessName: null, missed: 'failed' }, voiceUrls(publicUrl), '');
}
