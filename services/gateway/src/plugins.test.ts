import { installPlugin } from '@mctb/control';
import { SubAccount } from '@mctb/db';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { signPayload } from '@mctb/plugin-sdk';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@mctb/plugin-voice-ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_NUMBER, PUBLIC_URL, startGatewayHarness, type GatewayHarness } from './testing/harness.js';

const SECRET = 'voice-ai-shared-secret-0123456789';
const AGENT_URL = 'https://agent.example.test/twiml';

describe('Voice AI through the gateway', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness();
    const em = h.orm.em.fork();
    const subAccount = await em.findOneOrFail(SubAccount, h.subAccountId);
    const installed = await installPlugin(em, firstPartyPlugins(), { agencyId: subAccount.agency.id, subAccountId: null }, {
      subAccountId: h.subAccountId,
      pluginId: 'voice-ai',
      config: { agentUrl: AGENT_URL, signingSecret: SECRET },
    });
    expect(installed.ok).toBe(true);
  });
  afterEach(async () => {
    await h.restoreLinks();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** The verdicts the caller's text-back received (its first text waits for one). */
  const verdictSignals = async (caller: string) => {
    const history = await h.temporal.workflow.getHandle(`textback/${h.subAccountId}/${caller}`).fetchHistory();
    const converter = h.temporal.options.loadedDataConverter.payloadConverter;
    return (history.events ?? [])
      .filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'pluginVerdict')
      .map((e) => converter.fromPayload(e.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!));
  };
  const handToAgent = async (callSid: string, caller: string) => {
    await h.post('/twilio/voice/incoming', { CallSid: callSid, From: caller, To: BUSINESS_NUMBER });
    const response = await h.post('/twilio/voice/dial-result', { CallSid: callSid, From: caller, To: BUSINESS_NUMBER, DialCallStatus: 'no-answer' });
    expect(await response.text()).toContain(`<Redirect method="POST">${AGENT_URL}</Redirect>`);
  };

  const agentEvent = (payload: object, options: { secret?: string; timestamp?: number } = {}) => {
    const body = JSON.stringify(payload);
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    return h.app.request(`${PUBLIC_URL}/plugins/voice-ai/webhooks/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signPayload(options.secret ?? SECRET, timestamp, body),
      },
      body,
    });
  };

  it('hands an unanswered call to the AI agent instead of voicemail', async () => {
    const caller = '+15125550131';
    await h.post('/twilio/voice/incoming', { CallSid: 'CA-ai-1', From: caller, To: BUSINESS_NUMBER });
    const response = await h.post('/twilio/voice/dial-result', { CallSid: 'CA-ai-1', From: caller, To: BUSINESS_NUMBER, DialCallStatus: 'no-answer' });
    expect(await response.text()).toContain(`<Redirect method="POST">${AGENT_URL}</Redirect>`);
    // The hand-off is stored with the outcome and travels with the missed call: the text waits for the agent.
    expect(await h.call('CA-ai-1')).toMatchObject({ outcome: 'no_answer', handedToPlugin: 'voice-ai' });
    expect(await h.missedCallSignals(caller)).toEqual([expect.objectContaining({ callSid: 'CA-ai-1', handedToPlugin: 'voice-ai' })]);
  });

  it('marks the call answered_by_ai when the agent reports it answered, and tells the caller\'s text-back', async () => {
    const response = await agentEvent({ type: 'agent.answered', callSid: 'CA-ai-1' });
    expect(response.status).toBe(200);
    expect(await h.call('CA-ai-1')).toMatchObject({ outcome: 'answered_by_ai', outcomeSource: 'plugin:voice-ai' });
    expect(await verdictSignals('+15125550131')).toEqual([
      { callSid: 'CA-ai-1', pluginId: 'voice-ai', verdict: 'answered', note: 'the Voice AI agent answered the call' },
    ]);
  });

  it('leaves the outcome alone when the caller hung up before the agent answered', async () => {
    const caller = '+15125550132';
    await h.post('/twilio/voice/incoming', { CallSid: 'CA-ai-2', From: caller, To: BUSINESS_NUMBER });
    await h.post('/twilio/voice/dial-result', { CallSid: 'CA-ai-2', From: caller, To: BUSINESS_NUMBER, DialCallStatus: 'no-answer' });
    expect((await agentEvent({ type: 'caller.hung_up', callSid: 'CA-ai-2' })).status).toBe(200);
    expect(await h.call('CA-ai-2')).toMatchObject({ outcome: 'no_answer', intakeDecision: 'text_back', textBackStatus: null });
    expect(await verdictSignals(caller)).toEqual([
      { callSid: 'CA-ai-2', pluginId: 'voice-ai', verdict: 'caller_left', note: 'the caller hung up before the Voice AI agent answered' },
    ]);
  });

  it('answers 503 while PostgreSQL is unreachable, so the agent service retries; the retry is taken', async () => {
    const caller = '+15125550133';
    await handToAgent('CA-ai-3', caller);
    await h.postgresLink.set('down');
    const refused = await agentEvent({ type: 'agent.answered', callSid: 'CA-ai-3' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await h.call('CA-ai-3')).toMatchObject({ outcome: 'no_answer' });

    await h.restoreLinks();
    expect((await agentEvent({ type: 'agent.answered', callSid: 'CA-ai-3' })).status).toBe(200);
    expect(await h.call('CA-ai-3')).toMatchObject({ outcome: 'answered_by_ai', outcomeSource: 'plugin:voice-ai' });
    expect(await verdictSignals(caller)).toEqual([expect.objectContaining({ callSid: 'CA-ai-3', verdict: 'answered' })]);
  });

  it('answers 503 while PostgreSQL hangs', async () => {
    await handToAgent('CA-ai-4', '+15125550134');
    await h.postgresLink.set('hang');
    const refused = await agentEvent({ type: 'caller.hung_up', callSid: 'CA-ai-4' });
    expect(refused.status).toBe(503);
  });

  it('answers 503 while Temporal is unreachable (the outcome is stored; the retry tells the text-back)', async () => {
    const caller = '+15125550135';
    await handToAgent('CA-ai-5', caller);
    await h.temporalLink.set('down');
    const refused = await agentEvent({ type: 'agent.answered', callSid: 'CA-ai-5' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await h.call('CA-ai-5')).toMatchObject({ outcome: 'answered_by_ai' });

    await h.restoreLinks();
    expect((await agentEvent({ type: 'agent.answered', callSid: 'CA-ai-5' })).status).toBe(200);
    expect(await verdictSignals(caller)).toEqual([expect.objectContaining({ callSid: 'CA-ai-5', verdict: 'answered' })]);
  });

  it('answers 400 to a malformed event, signed or not, whatever the dependencies do', async () => {
    expect((await agentEvent({ type: 'agent.dance', callSid: 'CA-ai-2' })).status).toBe(400);
    expect((await agentEvent({ type: 'agent.answered' })).status).toBe(400);
    const garbage = await h.app.request(`${PUBLIC_URL}/plugins/voice-ai/webhooks/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(garbage.status).toBe(400);
    await h.postgresLink.set('down');
    expect((await h.app.request(`${PUBLIC_URL}/plugins/voice-ai/webhooks/events`, { method: 'POST', body: '{not json' })).status).toBe(400);
  });

  it('refuses agent events with a wrong signature or a stale timestamp', async () => {
    expect((await agentEvent({ type: 'agent.answered', callSid: 'CA-ai-2' }, { secret: 'wrong-secret-wrong-secret' })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 3600;
    expect((await agentEvent({ type: 'agent.answered', callSid: 'CA-ai-2' }, { timestamp: stale })).status).toBe(401);
    expect(await h.call('CA-ai-2')).toMatchObject({ outcome: 'no_answer' });
    expect((await agentEvent({ type: 'agent.answered', callSid: 'CA-nope' })).status).toBe(404);
  });
});
