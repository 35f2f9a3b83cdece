import { installPlugin } from '@mctb/control';
import { SubAccount } from '@mctb/db';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { signPayload } from '@mctb/plugin-sdk';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@mctb/plugin-voice-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  afterAll(async () => {
    await h?.stop();
  });

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
  });

  it('marks the call answered_by_ai when the agent reports it answered', async () => {
    const response = await agentEvent({ type: 'agent.answered', callSid: 'CA-ai-1' });
    expect(response.status).toBe(200);
    expect(await h.call('CA-ai-1')).toMatchObject({ outcome: 'answered_by_ai', outcomeSource: 'plugin:voice-ai' });
  });

  it('leaves the outcome alone when the caller hung up before the agent answered', async () => {
    const caller = '+15125550132';
    await h.post('/twilio/voice/incoming', { CallSid: 'CA-ai-2', From: caller, To: BUSINESS_NUMBER });
    await h.post('/twilio/voice/dial-result', { CallSid: 'CA-ai-2', From: caller, To: BUSINESS_NUMBER, DialCallStatus: 'no-answer' });
    expect((await agentEvent({ type: 'caller.hung_up', callSid: 'CA-ai-2' })).status).toBe(200);
    expect(await h.call('CA-ai-2')).toMatchObject({ outcome: 'no_answer', intakeDecision: 'text_back', textBackStatus: null });
  });

  it('refuses agent events with a wrong signature or a stale timestamp', async () => {
    expect((await agentEvent({ type: 'agent.answered', callSid: 'CA-ai-2' }, { secret: 'wrong-secret-wrong-secret' })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 3600;
    expect((await agentEvent({ type: 'agent.answered', callSid: 'CA-ai-2' }, { timestamp: stale })).status).toBe(401);
    expect(await h.call('CA-ai-2')).toMatchObject({ outcome: 'no_answer' });
    expect((await agentEvent({ type: 'agent.answered', callSid: 'CA-nope' })).status).toBe(404);
  });
});
